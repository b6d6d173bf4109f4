namespace Personalization.DaprSidecar.Http;

/// <summary>
/// daprd's readiness probes, answering 204. Ready as soon as the emulator listens: its tables exist by then, and apps
/// that wait for the sidecar before starting must not wait for their own discovery.
/// </summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1.0/healthz", () => TypedResults.NoContent());
        app.MapGet("/v1.0/healthz/outbound", () => TypedResults.NoContent());
        return app;
    }
}
