using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Personalization.Ingestion.Sources;
using Personalization.Ingestion.Validation;
using Personalization.ServiceDefaults;

namespace Personalization.Ingestion.Auth;

/// <summary>
/// Segment-style authentication: HTTP Basic with the write key as the user name and an empty password.
/// A known key authenticates as its tenant.
/// </summary>
public sealed class WriteKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    WriteKeyDirectory keys) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = ApiDescriptions.WriteKeyScheme;
    public const string TenantClaim = "tenant";
    public const string SourceClaim = "source";
    public const string KeyClaim = "key";

    public static EventOrigin OriginOf(ClaimsPrincipal user, DateTimeOffset receivedAt) =>
        new(user.FindFirstValue(TenantClaim)!, user.FindFirstValue(SourceClaim)!, receivedAt,
            Activity.Current is { IdFormat: ActivityIdFormat.W3C } request ? request.Id : null);

    private const string MissingKey = "Send the write key as the HTTP Basic user name, with an empty password.";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header)
            || !header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
            return AuthenticateResult.Fail(MissingKey);

        string credentials;
        try
        {
            credentials = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (FormatException)
        {
            return AuthenticateResult.Fail("The Basic credentials are not valid base64.");
        }

        var writeKey = credentials.Split(':', 2)[0];
        if (writeKey.Length == 0)
            return AuthenticateResult.Fail(MissingKey);
        if (await keys.FindAsync(writeKey, Context.RequestAborted) is not { } owner)
            return AuthenticateResult.Fail("The write key is not known, or has been revoked.");

        var identity = new ClaimsIdentity(
            [new Claim(TenantClaim, owner.TenantId), new Claim(SourceClaim, owner.SourceId), new Claim(KeyClaim, owner.KeyId)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        await UnauthorizedProblem.WriteAsync(Context, "Basic realm=\"personalization\"", "Missing or unknown write key", result.Failure?.Message ?? MissingKey);
    }
}
