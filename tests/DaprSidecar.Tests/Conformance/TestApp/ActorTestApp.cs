using System.Collections.Concurrent;
using Dapr.Actors.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Personalization.DaprSidecar.Tests.Conformance.TestApp;

/// <summary>
/// A real Dapr.Actors.AspNetCore app on a loopback port, pointed at the emulator through DAPR_HTTP_ENDPOINT and
/// DAPR_API_TOKEN in its configuration (the SDK reads configuration before the environment).
/// </summary>
public sealed class ActorTestApp(WebApplication app, Uri address) : IAsyncDisposable
{
    public Uri Address { get; } = address;

    /// <summary>Requests that reached the app without the app token the emulator must send.</summary>
    public ConcurrentQueue<string> RejectedRequests { get; } = new();

    public static async Task<ActorTestApp> StartAsync(Uri address, Uri sidecar, string apiToken, string appToken, Action<ActorRuntimeOptions> registerActors)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls(address.ToString());
        builder.Configuration["DAPR_HTTP_ENDPOINT"] = sidecar.ToString();
        builder.Configuration["DAPR_API_TOKEN"] = apiToken;
        builder.Logging.ClearProviders();
        builder.Services.AddActors(registerActors);

        var app = builder.Build();
        var testApp = new ActorTestApp(app, address);
        app.Use(async (context, next) =>
        {
            if (context.Request.Headers["dapr-api-token"] != appToken)
            {
                testApp.RejectedRequests.Enqueue($"{context.Request.Method} {context.Request.Path}");
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
            await next(context);
        });
        app.MapActorsHandlers();
        await app.StartAsync();
        return testApp;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
