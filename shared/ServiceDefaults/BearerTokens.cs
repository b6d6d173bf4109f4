using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Personalization.ServiceDefaults;

public sealed class BearerTokenOptions : AuthenticationSchemeOptions
{
    /// <summary>The claims a token grants, or null when the token is not valid.</summary>
    public Func<IServiceProvider, string, IReadOnlyList<Claim>?> Resolve { get; set; } = (_, _) => null;

    /// <summary>Why every call fails when the scheme is not configured (for example, no token set); null when it is.</summary>
    public Func<IServiceProvider, string?> Disabled { get; set; } = _ => null;

    public string Title { get; set; } = "Credential required";
}

/// <summary>
/// <c>Authorization: Bearer &lt;token&gt;</c> checked against configured tokens (admin and read APIs); failures are
/// 401 problem details that say what was wrong.
/// </summary>
public sealed class BearerTokenAuthentication(IOptionsMonitor<BearerTokenOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<BearerTokenOptions>(options, logger, encoder)
{
    private const string SendTheToken = "Send the token as 'Authorization: Bearer <token>'.";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // No credential is not a failed one: requests this scheme does not guard (the Dapr sidecar's actor calls, which
        // another scheme checks, while this one is the default) pass without a failure logged for each.
        if (Request.Headers.Authorization.Count == 0)
            return Task.FromResult(AuthenticateResult.NoResult());
        if (Options.Disabled(Context.RequestServices) is { } disabled)
            return Task.FromResult(AuthenticateResult.Fail(disabled));
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header)
            || !header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)
            || string.IsNullOrEmpty(header.Parameter))
            return Task.FromResult(AuthenticateResult.Fail(SendTheToken));
        if (Options.Resolve(Context.RequestServices, header.Parameter) is not { } claims)
            return Task.FromResult(AuthenticateResult.Fail("The token is not valid."));

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var detail = result.Failure?.Message ?? Options.Disabled(Context.RequestServices) ?? SendTheToken;
        await UnauthorizedProblem.WriteAsync(Context, "Bearer", Options.Title, detail);
    }
}

/// <summary>A 401 as problem details, naming what was wrong with the credential.</summary>
public static class UnauthorizedProblem
{
    public static Task WriteAsync(HttpContext context, string scheme, string title, string? detail)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = scheme;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = StatusCodes.Status401Unauthorized, Title = title, Detail = detail },
        }).AsTask();
    }
}
