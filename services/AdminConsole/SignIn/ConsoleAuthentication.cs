using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Personalization.ServiceDefaults;

namespace Personalization.AdminConsole.SignIn;

/// <summary>
/// Who may use the console: a session cookie, issued for the admin token or, when configured, after an OpenID
/// Connect sign-in. The browser never holds a service credential: the console calls the services with its own.
/// </summary>
public static class ConsoleAuthentication
{
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string OidcScheme = OpenIdConnectDefaults.AuthenticationScheme;
    public const string Policy = "console";
    private const string Role = "console-admin";

    public static IHostApplicationBuilder AddConsoleAuthentication(this IHostApplicationBuilder builder, ConsoleOptions options)
    {
        var authentication = builder.Services.AddAuthentication(CookieScheme).AddCookie(CookieScheme, cookie =>
        {
            cookie.Cookie.Name = "console.session";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = options.SessionIdleTimeout;
            cookie.SlidingExpiration = true;
            // An API answers 401 and 403 as problems; the page itself shows the sign-in form.
            cookie.Events.OnRedirectToLogin = context =>
                UnauthorizedProblem.WriteAsync(context.HttpContext, "Cookie", "Sign in to the console", "Your session is missing or has expired.");
            cookie.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });

        if (options.Oidc.Enabled)
            authentication.AddOpenIdConnect(OidcScheme, oidc =>
            {
                oidc.Authority = options.Oidc.Authority;
                // A local provider over plain HTTP is allowed in Development only.
                oidc.RequireHttpsMetadata = !builder.Environment.IsDevelopment();
                oidc.ClientId = options.Oidc.ClientId;
                oidc.ClientSecret = options.Oidc.ClientSecret;
                oidc.ResponseType = "code";
                oidc.UsePkce = true;
                oidc.SignInScheme = CookieScheme;
                oidc.CallbackPath = "/console/signin-oidc";
                oidc.SignedOutCallbackPath = "/console/signout-oidc";
                oidc.MapInboundClaims = false;
                oidc.Events.OnTokenValidated = context =>
                {
                    var required = options.Oidc.RequiredRole;
                    var person = context.Principal!;
                    if (required is not null && !person.HasClaim(options.Oidc.RoleClaim, required))
                    {
                        context.Fail($"The console needs the '{required}' {options.Oidc.RoleClaim} claim.");
                        return Task.CompletedTask;
                    }
                    var name = person.FindFirstValue("name") ?? person.FindFirstValue("email") ?? person.FindFirstValue("sub") ?? "OIDC user";
                    context.Principal = Person(name, OidcScheme);
                    return Task.CompletedTask;
                };
            });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(CookieScheme).RequireRole(Role));
        return builder;
    }

    /// <summary>The principal a session carries: who signed in, and how.</summary>
    public static ClaimsPrincipal Person(string name, string method) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, Role), new Claim(ClaimTypes.AuthenticationMethod, method)],
            CookieScheme, ClaimTypes.Name, ClaimTypes.Role));
}
