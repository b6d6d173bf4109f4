using Microsoft.AspNetCore.Antiforgery;

namespace Personalization.AdminConsole.Security;

/// <summary>
/// Every change (any method but GET, HEAD, OPTIONS) to the console's API must carry the session's CSRF token in
/// <c>X-CSRF-TOKEN</c>, on top of the SameSite session cookie; a page of another site cannot read that token.
/// </summary>
public static class CsrfProtection
{
    public const string HeaderName = "X-CSRF-TOKEN";

    public static IHostApplicationBuilder AddCsrfProtection(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAntiforgery(options =>
        {
            options.HeaderName = HeaderName;
            options.Cookie.Name = "console.csrf";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        return builder;
    }

    public static IApplicationBuilder UseCsrfProtection(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (IsChange(context.Request) && IsConsoleApi(context.Request.Path))
        {
            var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                await Results.Problem(title: "Cross-site request refused",
                    detail: $"A change needs the session's CSRF token in the {HeaderName} header (GET /console/session gives it).",
                    statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
                return;
            }
        }
        await next(context);
    });

    private static bool IsChange(HttpRequest request) =>
        !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));

    private static bool IsConsoleApi(PathString path) => path.StartsWithSegments("/api") || path.StartsWithSegments("/console");
}
