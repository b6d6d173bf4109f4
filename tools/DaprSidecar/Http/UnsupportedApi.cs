namespace Personalization.DaprSidecar.Http;

/// <summary>
/// Every other Dapr API gets 501 with a message that names it, so a service that starts using, say, pub/sub through
/// the sidecar finds out at once here instead of in production.
/// </summary>
public static class UnsupportedApi
{
    private static readonly Dictionary<string, string> Areas = new(StringComparer.OrdinalIgnoreCase)
    {
        ["state"] = "the state store API",
        ["publish"] = "pub/sub publishing",
        ["publish/bulk"] = "pub/sub bulk publishing",
        ["subscribe"] = "pub/sub subscriptions",
        ["invoke"] = "service invocation",
        ["bindings"] = "output bindings",
        ["secrets"] = "the secrets API",
        ["configuration"] = "the configuration API",
        ["lock"] = "distributed locks",
        ["unlock"] = "distributed locks",
        ["metadata"] = "the metadata API",
        ["workflows"] = "workflows",
        ["jobs"] = "the jobs API",
        ["crypto"] = "the cryptography API",
        ["conversation"] = "the conversation API",
        ["shutdown"] = "the shutdown API",
        ["actors"] = "this actor API call",
    };

    public static IEndpointRouteBuilder MapUnsupportedApi(this IEndpointRouteBuilder app)
    {
        app.MapFallback(IResult (HttpRequest request) =>
        {
            var segments = (request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (segments.Length == 0 || !segments[0].StartsWith("v1", StringComparison.OrdinalIgnoreCase))
                return TypedResults.NotFound();
            var area = segments.Length > 1 ? Areas.GetValueOrDefault(segments[1], $"the '{segments[1]}' API") : "this API";
            return DaprError.Unimplemented(
                $"the Dapr sidecar emulator does not implement {area} ({request.Method} {request.Path}); it serves only the actor API " +
                "(method calls, actor state, reminders, timers), /v1.0/healthz and GET /v1.0/metadata. Use real daprd for anything else.");
        });
        return app;
    }
}
