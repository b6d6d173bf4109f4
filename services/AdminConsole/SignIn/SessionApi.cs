using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Personalization.ServiceDefaults;

namespace Personalization.AdminConsole.SignIn;

/// <summary>The console's session: who is signed in and the CSRF token for changes; sign-in with the admin token or OIDC; sign-out.</summary>
public static class SessionApi
{
    public sealed record SignInRequest(string? Token);

    /// <param name="CsrfToken">Sent back as the <c>X-CSRF-TOKEN</c> header of every change.</param>
    public sealed record SessionView(bool SignedIn, string? Name, string CsrfToken, string DefaultTenant, bool Oidc);

    public static IEndpointRouteBuilder MapSessionApi(this IEndpointRouteBuilder app)
    {
        var session = app.MapGroup("/console/session").WithTags("Session");
        session.MapGet("/", (HttpContext http, IAntiforgery antiforgery, IOptions<ConsoleOptions> options) => TypedResults.Ok(View(http, antiforgery, options.Value)))
            .WithSummary("Who is signed in, and the CSRF token for changes");
        session.MapPost("/", SignInAsync).WithSummary("Sign in with the admin token");
        session.MapDelete("/", async (HttpContext http) =>
        {
            await http.SignOutAsync(ConsoleAuthentication.CookieScheme);
            return TypedResults.NoContent();
        }).WithSummary("Sign out");
        app.MapGet("/console/sign-in/oidc", Results<ChallengeHttpResult, ProblemHttpResult> (IOptions<ConsoleOptions> options) => options.Value.Oidc.Enabled
            ? TypedResults.Challenge(new AuthenticationProperties { RedirectUri = "/" }, [ConsoleAuthentication.OidcScheme])
            : TypedResults.Problem(title: "OIDC sign-in is off", detail: "Set Console__Oidc__Authority and Console__Oidc__ClientId to sign in through a provider.", statusCode: StatusCodes.Status404NotFound))
            .WithTags("Session").WithSummary("Sign in through the OpenID Connect provider");
        return app;
    }

    private static async Task<Results<Ok<SessionView>, ValidationProblem, ProblemHttpResult>> SignInAsync(
        SignInRequest request, HttpContext http, IAntiforgery antiforgery, SignInThrottle throttle, IOptions<ConsoleOptions> options, IOptions<AdminOptions> admin)
    {
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (throttle.RetryAfter(address) is { } wait)
        {
            http.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(title: "Too many failed sign-ins",
                detail: $"{SignInThrottle.MaxFailures} wrong tokens came from your address within a minute; try again in {wait.TotalSeconds:0} s.",
                statusCode: StatusCodes.Status429TooManyRequests);
        }
        if (string.IsNullOrEmpty(request.Token))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["token"] = ["Enter the admin token."] });
        if (string.IsNullOrEmpty(admin.Value.Token))
            return TypedResults.Problem(title: "Token sign-in is off", detail: "The console has no admin token (Admin__Token).", statusCode: StatusCodes.Status403Forbidden);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(request.Token), Encoding.UTF8.GetBytes(admin.Value.Token)))
        {
            throttle.Failed(address);
            return TypedResults.Problem(title: "Sign-in failed", detail: "That is not the admin token.", statusCode: StatusCodes.Status401Unauthorized);
        }

        var person = ConsoleAuthentication.Person("admin", "token");
        await http.SignInAsync(ConsoleAuthentication.CookieScheme, person);
        // The CSRF token is bound to who is signed in: issue the one for the new session.
        http.User = person;
        return TypedResults.Ok(View(http, antiforgery, options.Value));
    }

    private static SessionView View(HttpContext http, IAntiforgery antiforgery, ConsoleOptions options) => new(
        http.User.Identity?.IsAuthenticated == true,
        http.User.Identity?.IsAuthenticated == true ? http.User.FindFirstValue(ClaimTypes.Name) : null,
        antiforgery.GetAndStoreTokens(http).RequestToken!,
        options.DefaultTenant,
        options.Oidc.Enabled);
}
