using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Personalization.ServiceDefaults;

public sealed class SidecarCallOptions : AuthenticationSchemeOptions
{
    public string Token { get; set; } = "";
}

/// <summary>
/// Dapr's app API token: the sidecar sends <c>dapr-api-token: $APP_API_TOKEN</c> on every call to the app, and the
/// actor and <c>/dapr/*</c> routes take no call without it, so nobody on the network can invoke an actor directly,
/// past the public APIs' tokens and tenant scoping. Failures are 401 problem details.
/// </summary>
public sealed class SidecarCallAuthentication(IOptionsMonitor<SidecarCallOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<SidecarCallOptions>(options, logger, encoder)
{
    public const string SchemeName = "DaprAppToken";
    public const string Policy = "dapr-sidecar";
    public const string TokenSetting = "APP_API_TOKEN";
    public const string Header = "dapr-api-token";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var sent = Request.Headers[Header].ToString();
        if (sent.Length == 0)
            return Task.FromResult(AuthenticateResult.NoResult());
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(Options.Token)))
            return Task.FromResult(AuthenticateResult.Fail($"The {Header} header does not match the app's {TokenSetting}."));

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "dapr-sidecar")], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        await UnauthorizedProblem.WriteAsync(Context, Header, "Only the Dapr sidecar may call this",
            result.Failure?.Message ?? $"Actor calls need the {Header} header that the sidecar sends ({TokenSetting}).");
    }
}
