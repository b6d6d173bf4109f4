namespace Personalization.DaprSidecar;

/// <summary>
/// Builds the emulator, for the process entry point and for tests and tools that host it in-process:
/// <code>
/// var sidecar = SidecarHost.Build(["--urls", "http://127.0.0.1:3500"], b => b.Configuration.AddInMemoryCollection(settings));
/// await sidecar.StartAsync();   // later: await sidecar.StopAsync(); await sidecar.DisposeAsync();
/// </code>
/// Settings: <c>Sidecar:Apps:0..n</c>, <c>ConnectionStrings:Postgres</c>, optional <c>Sidecar:ApiToken</c> (or
/// DAPR_API_TOKEN), <c>Sidecar:AppApiToken</c> (or APP_API_TOKEN), and the timings in <see cref="SidecarOptions"/>.
/// </summary>
public static class SidecarHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddDaprSidecar();
        var app = builder.Build();
        app.MapDaprSidecar();
        return app;
    }
}
