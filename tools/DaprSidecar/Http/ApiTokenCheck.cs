using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Personalization.DaprSidecar.Actors;

namespace Personalization.DaprSidecar.Http;

/// <summary>
/// daprd's APITokenAuthMiddleware: with a token configured, any request without the matching <c>dapr-api-token</c>
/// header gets 401 "invalid api token" (plain text, as daprd writes it); only <c>GET /v1.0/healthz</c> and
/// <c>/v1.0/healthz/outbound</c> are exempt. The .NET SDK turns the 401 into an AuthenticationException.
/// </summary>
public static class ApiTokenCheck
{
    public static IApplicationBuilder UseDaprApiToken(this IApplicationBuilder app)
    {
        var token = app.ApplicationServices.GetRequiredService<IOptions<SidecarOptions>>().Value.ApiToken;
        if (string.IsNullOrEmpty(token)) return app;
        var expected = Encoding.UTF8.GetBytes(token);

        return app.Use(async (context, next) =>
        {
            var sent = context.Request.Headers[AppChannel.ApiTokenHeader].FirstOrDefault();
            var valid = sent is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), expected);
            if (!valid && !IsExempt(context.Request))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync("invalid api token\n", context.RequestAborted);
                return;
            }
            await next(context);
        });
    }

    private static bool IsExempt(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && request.Path.Value?.Trim('/') is "v1.0/healthz" or "v1.0/healthz/outbound";
}
