using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Personalization.Ingestion.Validation;

namespace Personalization.Ingestion.Auth;

/// <summary>
/// Segment-style authentication: HTTP Basic with the write key as the user name and an empty password.
/// A known key authenticates as its tenant.
/// </summary>
public sealed class WriteKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<IngestionOptions> ingestion,
    IProblemDetailsService problems) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = "WriteKey";
    public const string TenantClaim = "tenant";
    public const string SourceClaim = "source";
    public const string DefaultSource = "default";

    public static EventOrigin OriginOf(ClaimsPrincipal user, DateTimeOffset receivedAt) =>
        new(user.FindFirstValue(TenantClaim)!, user.FindFirstValue(SourceClaim)!, receivedAt);

    private const string MissingKey = "Send the write key as the HTTP Basic user name, with an empty password.";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header)
            || !header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
            return Task.FromResult(AuthenticateResult.Fail(MissingKey));

        string credentials;
        try
        {
            credentials = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (FormatException)
        {
            return Task.FromResult(AuthenticateResult.Fail("The Basic credentials are not valid base64."));
        }

        var writeKey = credentials.Split(':', 2)[0];
        if (writeKey.Length == 0)
            return Task.FromResult(AuthenticateResult.Fail(MissingKey));
        if (!ingestion.Value.WriteKeys.TryGetValue(writeKey, out var tenant))
            return Task.FromResult(AuthenticateResult.Fail("The write key is not known."));

        var identity = new ClaimsIdentity([new Claim(TenantClaim, tenant), new Claim(SourceClaim, DefaultSource)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Basic realm=\"personalization\"";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = 401, Title = "Missing or unknown write key", Detail = result.Failure?.Message ?? MissingKey },
        });
    }
}
