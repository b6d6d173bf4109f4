using System.Net;
using System.Net.Http.Json;
using System.Text;
using Personalization.TestSupport;
using Personalization.Contracts;
using static Personalization.EndToEnd.Tests.Platform;

namespace Personalization.EndToEnd.Tests;

/// <summary>
/// An attacker on the network calling the profile actors directly, past the profile API's token and tenant scoping:
/// Segmentation takes actor calls only from the sidecar (app API token), and the sidecar's API only with its own token.
/// </summary>
public class SidecarOnlyTests
{
    private static string ActorPath(string user, string method) =>
        $"/actors/CustomerProfile/{System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(StreamKey.ForUser(Tenant, user).ToString()))}/method/{method}";

    private static async Task<HttpResponseMessage> CallAsync(ServiceProcess service, string path, string? token, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Put, path) { Content = new StringContent("", Encoding.UTF8, "application/json") };
        if (token is not null) request.Headers.Add("dapr-api-token", token);
        return await service.Client.SendAsync(request);
    }

    private static async Task<string> KnownUserAsync()
    {
        var user = "direct-" + Guid.NewGuid().ToString("N")[..8];
        using var response = await Ingestion.Client.SendAsync(Post("/v1/identify",
            $$"""{"userId":"{{user}}","traits":{"email":"{{user}}@example.com"},"messageId":"{{user}}-1"}"""));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await Profiles.WithCountAsync(user, 1);
        return user;
    }

    [Test]
    public async Task A_direct_actor_call_without_the_sidecar_token_is_refused_and_changes_nothing()
    {
        var user = await KnownUserAsync();

        foreach (var method in new[] { "GetAsync", "ResetAsync", "EraseAsync", "ApplyAsync" })
            foreach (var token in new[] { null, "guess", SidecarApiToken })
            {
                using var response = await CallAsync(Segmentation, ActorPath(user, method), token);
                var body = await response.Content.ReadAsStringAsync();
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), $"{method} with token {token ?? "(none)"}: {body}");
                Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
                Assert.That(body, Does.Not.Contain("@example.com"));
            }
        using (var config = await CallAsync(Segmentation, "/dapr/config", null, HttpMethod.Get))
            Assert.That(config.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "/dapr/config");

        var profile = await Profiles.GetAsync(user);
        Assert.That(profile?.EventCount, Is.EqualTo(1), "Reset and Erase did not run");
        Assert.That(profile!.Traits["email"].GetString(), Is.EqualTo($"{user}@example.com"));
    }

    [Test]
    public async Task The_sidecar_api_takes_actor_calls_only_with_its_own_token()
    {
        var user = await KnownUserAsync();
        var path = "/v1.0" + ActorPath(user, "GetAsync");

        using var none = await CallAsync(Sidecar, path, null);
        using var appToken = await CallAsync(Sidecar, path, AppApiToken);
        using var right = await CallAsync(Sidecar, path, SidecarApiToken);

        Assert.That(none.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(appToken.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the app's token is not the sidecar's");
        Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.OK), await right.Content.ReadAsStringAsync());
        Assert.That((await right.Content.ReadFromJsonAsync<Profile>(System.Text.Json.JsonSerializerOptions.Web))?.EventCount, Is.EqualTo(1),
            "through the sidecar, with its token, the call reaches the actor");
    }

    [Test]
    public async Task A_service_that_hosts_actors_does_not_start_without_an_app_token()
    {
        var settings = new Dictionary<string, string>(Settings) { ["APP_API_TOKEN"] = "" };
        var error = Assert.ThrowsAsync<InvalidOperationException>(() => ServiceProcess.StartAsync("services/Segmentation", settings));
        Assert.That(error!.Message, Does.Contain("APP_API_TOKEN is not set"));
    }
}
