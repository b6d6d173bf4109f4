namespace Personalization.DaprSidecar.Actors;

/// <summary>Passes an app's reply back to the caller unchanged: status, headers (X-DaprErrorResponseHeader among them) and body.</summary>
public sealed class AppReplyResult(AppReply reply) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = reply.StatusCode;
        foreach (var (name, values) in reply.Headers)
            response.Headers[name] = values;
        response.ContentLength = reply.Body.Length;
        await response.Body.WriteAsync(reply.Body, httpContext.RequestAborted);
    }
}
