using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Personalization.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    private const string LiveTag = "live";

    /// <summary>Checks with this tag decide <c>/health/ready</c>.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Telemetry, health checks, problem details and resilient HTTP clients, the same in every service.</summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.AddSecretsDirectory();
        builder.AddTelemetry();
        builder.AddApiDescriptions();

        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        // A parameter that does not bind (?limit=abc) throws instead of answering a bare 400, so the answer can say which.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            if (context.Exception is BadHttpRequestException bad) context.ProblemDetails.Detail = bad.Message;
            if (IsDependencyUnavailable(context.Exception))
            {
                context.ProblemDetails.Title = "A service this answer needs is unavailable";
                context.ProblemDetails.Detail = $"{context.Exception!.Message} Try again shortly.";
                context.HttpContext.Response.Headers.RetryAfter = "1";
            }
        });
        builder.Services.AddExceptionHandler(options =>
        {
            // A malformed or oversized request is the caller's fault: say so instead of answering 500, and log no error.
            // The sidecar or another service not answering (an actor moving off a replica that died, say) is passing: 503.
            options.StatusCodeSelector = ex => ex switch
            {
                BadHttpRequestException bad => bad.StatusCode,
                _ when IsDependencyUnavailable(ex) => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status500InternalServerError,
            };
            options.SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException;
        });

        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        return builder;
    }

    /// <summary>The Dapr sidecar refused or failed an actor call, or an HTTP dependency did not answer.</summary>
    private static bool IsDependencyUnavailable(Exception? exception) => exception is Dapr.DaprApiException or HttpRequestException;

    /// <summary>Problem-details error responses, the <c>/health/live</c> and <c>/health/ready</c> probes, and the OpenAPI document.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag), ResponseWriter = HealthReportJson.WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = HealthReportJson.WriteAsync });
        app.MapApiDescriptions();
        return app;
    }
}
