namespace Personalization.DaprSidecar.Http;

/// <summary>
/// An unexpected failure (say, PostgreSQL is down) still answers in daprd's error shape, so the SDK reports it as a
/// DaprApiException with a message instead of a bare 500.
/// </summary>
public static class ErrorBodies
{
    public static IApplicationBuilder UseDaprErrorBodies(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ErrorBodies));
        return app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
            {
                logger.LogWarning(ex, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
                await DaprError.Result(StatusCodes.Status500InternalServerError, "ERR_INTERNAL",
                    $"the Dapr sidecar emulator could not handle {context.Request.Method} {context.Request.Path}: {ex.Message}").ExecuteAsync(context);
            }
        });
    }
}
