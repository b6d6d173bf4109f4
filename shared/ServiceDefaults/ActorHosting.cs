using Dapr.Actors.Client;
using Dapr.Actors.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Personalization.ServiceDefaults;

/// <summary>
/// Dapr actors over the sidecar's HTTP API: real daprd in production, tools/DaprSidecar locally. The address comes
/// from DAPR_HTTP_ENDPOINT or DAPR_HTTP_PORT, as the Dapr SDKs read it; DAPR_API_TOKEN is sent when set.
/// </summary>
public static class ActorHosting
{
    public static string SidecarEndpoint(IConfiguration configuration) =>
        configuration["DAPR_HTTP_ENDPOINT"] is { Length: > 0 } endpoint
            ? endpoint.TrimEnd('/')
            : $"http://127.0.0.1:{configuration["DAPR_HTTP_PORT"] ?? "3500"}";

    /// <summary>Proxy settings for code that calls actors without hosting them (CLI verbs, tools).</summary>
    public static ActorProxyOptions ProxyOptions(IConfiguration configuration)
    {
        var options = new ActorProxyOptions { HttpEndpoint = SidecarEndpoint(configuration), UseJsonSerialization = true };
        if (configuration["DAPR_API_TOKEN"] is { Length: > 0 } token)
            options.DaprApiToken = token;
        return options;
    }

    /// <summary>
    /// Hosts actors (map their routes with <see cref="MapActorEndpoints"/>) and adds the sidecar to readiness. The
    /// sidecar's calls must carry <c>APP_API_TOKEN</c>; a service that hosts actors does not start without one.
    /// </summary>
    public static IHostApplicationBuilder AddActorHosting(this IHostApplicationBuilder builder, Action<ActorRuntimeOptions> register)
    {
        var appToken = builder.Configuration[SidecarCallAuthentication.TokenSetting] is { Length: > 0 } token
            ? token
            : throw new InvalidOperationException(
                $"{SidecarCallAuthentication.TokenSetting} is not set. A service that hosts actors only takes calls from its Dapr sidecar, " +
                $"which sends that token as '{SidecarCallAuthentication.Header}': set the same value for the app and its sidecar " +
                "(tools/infra.env has the local one; in Kubernetes, the dapr.io/app-token-secret annotation).");
        builder.Services.AddAuthentication()
            .AddScheme<SidecarCallOptions, SidecarCallAuthentication>(SidecarCallAuthentication.SchemeName, options => options.Token = appToken);
        builder.Services.AddAuthorization(options => options.AddPolicy(SidecarCallAuthentication.Policy, policy =>
            policy.AddAuthenticationSchemes(SidecarCallAuthentication.SchemeName).RequireAuthenticatedUser()));

        var endpoint = SidecarEndpoint(builder.Configuration);
        builder.Services.AddActors(options =>
        {
            // JSON, not DataContract: state and messages stay readable records.
            options.UseJsonSerialization = true;
            options.HttpEndpoint = endpoint;
            if (builder.Configuration["DAPR_API_TOKEN"] is { Length: > 0 } apiToken)
                options.DaprApiToken = apiToken;
            register(options);
        });

        builder.Services.AddHttpClient(nameof(SidecarHealthCheck), http => http.BaseAddress = new Uri(endpoint + "/"));
        builder.Services.AddHealthChecks().AddCheck<SidecarHealthCheck>("dapr-sidecar", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return builder;
    }

    /// <summary>The actor runtime's routes, <c>/dapr/config</c> and <c>/actors/...</c> for the sidecar's calls only (its <c>/healthz</c> stays open).</summary>
    public static IEndpointConventionBuilder MapActorEndpoints(this IEndpointRouteBuilder app) =>
        app.MapActorsHandlers().RequireAuthorization(SidecarCallAuthentication.Policy);

    private sealed class SidecarHealthCheck(IHttpClientFactory clients) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
        {
            try
            {
                using var response = await clients.CreateClient(nameof(SidecarHealthCheck)).GetAsync("v1.0/healthz", cancellationToken);
                return response.IsSuccessStatusCode
                    ? HealthCheckResult.Healthy()
                    : HealthCheckResult.Unhealthy($"Dapr sidecar answered {(int)response.StatusCode}.");
            }
            catch (HttpRequestException ex)
            {
                return HealthCheckResult.Unhealthy("Dapr sidecar unreachable.", ex);
            }
        }
    }
}
