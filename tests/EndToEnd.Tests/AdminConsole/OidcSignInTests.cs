using System.Net;
using System.Text;
using System.Text.Json;
using Personalization.TestSupport;

namespace Personalization.EndToEnd.Tests.AdminConsole;

/// <summary>
/// The console set up for an OpenID Connect provider (one played by a loopback server): the session says so, and the
/// sign-in sends the browser to the provider's authorization endpoint with the code flow and PKCE.
/// </summary>
public class OidcSignInTests
{
    [Test]
    public async Task Sign_in_goes_to_the_providers_authorization_endpoint_with_pkce()
    {
        using var provider = new LoopbackServer(async context =>
        {
            var issuer = $"http://{context.Request.Url!.Authority}";
            var body = context.Request.Url.AbsolutePath switch
            {
                "/.well-known/openid-configuration" => JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["issuer"] = issuer, ["authorization_endpoint"] = $"{issuer}/authorize", ["token_endpoint"] = $"{issuer}/token",
                    ["jwks_uri"] = $"{issuer}/jwks", ["response_types_supported"] = new[] { "code" }, ["subject_types_supported"] = new[] { "public" },
                    ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                }),
                "/jwks" => """{"keys":[]}""",
                _ => null,
            };
            context.Response.StatusCode = body is null ? 404 : 200;
            context.Response.ContentType = "application/json";
            if (body is not null) await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(body));
        });
        await using var console = await ServiceProcess.StartAsync("services/AdminConsole", new Dictionary<string, string>(Platform.Settings)
        {
            ["Console__Services__Ingestion"] = Platform.Ingestion.BaseAddress.ToString(),
            ["Console__Services__Segmentation"] = Platform.Segmentation.BaseAddress.ToString(),
            ["Console__Services__Triggers"] = Platform.Triggers.BaseAddress.ToString(),
            ["Console__Services__Recommendation"] = Platform.RecommendationAddress.ToString(),
            ["Console__Oidc__Authority"] = provider.Url,
            ["Console__Oidc__ClientId"] = "personalization-console",
        });
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = console.BaseAddress };

        var session = JsonDocument.Parse(await client.GetStringAsync("/console/session")).RootElement;
        Assert.That(session.GetProperty("oidc").GetBoolean(), Is.True);
        using var challenge = await client.GetAsync("/console/sign-in/oidc");
        Assert.That(challenge.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var location = challenge.Headers.Location!;
        Assert.That(location.GetLeftPart(UriPartial.Path), Is.EqualTo($"{provider.Url}/authorize"));
        var query = System.Web.HttpUtility.ParseQueryString(location.Query);
        Assert.That(query["client_id"], Is.EqualTo("personalization-console"));
        Assert.That(query["response_type"], Is.EqualTo("code"));
        Assert.That(query["redirect_uri"], Is.EqualTo($"{console.BaseAddress}console/signin-oidc"));
        Assert.That(query["code_challenge_method"], Is.EqualTo("S256"));
        Assert.That(query["code_challenge"], Is.Not.Empty);

        using var api = await client.GetAsync($"/api/ingestion/tenants/{ConsoleHost.Tenant}/sources");
        Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the API still needs a session");
    }
}
