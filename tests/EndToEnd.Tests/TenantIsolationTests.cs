using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using static Personalization.EndToEnd.Tests.Platform;

namespace Personalization.EndToEnd.Tests;

/// <summary>Sources and keys through the admin API, and a second tenant trying to see the first one's data.</summary>
public class TenantIsolationTests
{
    private sealed record NewKey(string KeyId, string WriteKey, DateTimeOffset CreatedAt);
    private sealed record SourceView(string TenantId, string SourceId, string Name, DateTimeOffset CreatedAt);
    private sealed record SourceCreated(SourceView Source, NewKey Key);
    private sealed record KeyView(string KeyId, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web))!;
    }

    private static async Task<HttpStatusCode> TrackAsync(string writeKey, string user, string messageId)
    {
        using var response = await Ingestion.Client.SendAsync(Post("/v1/track", $$"""{"event":"Signed Up","userId":"{{user}}","messageId":"{{messageId}}"}""", writeKey));
        return response.StatusCode;
    }

    [Test]
    public async Task A_source_key_can_be_created_rotated_and_revoked()
    {
        var tenant = "iso-" + Guid.NewGuid().ToString("N")[..8];
        using var created = await Ingestion.Client.SendAsync(Admin(HttpMethod.Post, $"/admin/tenants/{tenant}/sources", new { sourceId = "web", name = "Web shop" }));
        var source = await ReadAsync<SourceCreated>(created, HttpStatusCode.Created);
        Assert.That(await TrackAsync(source.Key.WriteKey, "u1", "m1"), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await Database.ScalarAsync<string>(
            "select data->>'SourceId' from ingestion.mt_events where stream_id = @stream", ("stream", $"{tenant}/user:u1")), Is.EqualTo("web"),
            "events carry the tenant and source of their key");

        using var rotated = await Ingestion.Client.SendAsync(Admin(HttpMethod.Post, $"/admin/tenants/{tenant}/sources/web/keys"));
        var second = await ReadAsync<NewKey>(rotated, HttpStatusCode.Created);
        using var revoked = await Ingestion.Client.SendAsync(Admin(HttpMethod.Delete, $"/admin/tenants/{tenant}/sources/web/keys/{source.Key.KeyId}"));
        Assert.That(revoked.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        Assert.That(await TrackAsync(source.Key.WriteKey, "u1", "m2"), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await TrackAsync(second.WriteKey, "u1", "m3"), Is.EqualTo(HttpStatusCode.OK));
        using var listed = await Ingestion.Client.SendAsync(Admin(HttpMethod.Get, $"/admin/tenants/{tenant}/sources/web/keys"));
        var keys = await ReadAsync<List<KeyView>>(listed, HttpStatusCode.OK);
        Assert.That(keys.Select(k => (k.KeyId, k.RevokedAt is not null)), Is.EquivalentTo(new[] { (source.Key.KeyId, true), (second.KeyId, false) }));
    }

    [Test]
    public async Task The_admin_api_refuses_missing_and_wrong_credentials_and_bad_ids()
    {
        using var noToken = await Ingestion.Client.GetAsync("/admin/tenants/acme/sources");
        using var wrongToken = await Ingestion.Client.SendAsync(Admin(HttpMethod.Get, "/admin/tenants/acme/sources", token: "guess"));
        using var writeKeyAsAdmin = await Ingestion.Client.SendAsync(Admin(HttpMethod.Get, "/admin/tenants/acme/sources", token: WriteKey));
        using var badId = await Ingestion.Client.SendAsync(Admin(HttpMethod.Post, "/admin/tenants/Bad Tenant!/sources", new { sourceId = "web" }));

        Assert.That(noToken.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(wrongToken.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(writeKeyAsAdmin.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(badId.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await badId.Content.ReadAsStringAsync(), Does.Contain("not a valid id"));
    }

    [TestCase("GET", "sources")]
    [TestCase("PATCH", "sources/web")]
    [TestCase("GET", "sources/web/keys")]
    [TestCase("GET", "sources/web/tracking-plan")]
    [TestCase("GET", "dead-letters")]
    [TestCase("POST", "dead-letters/replay")]
    [TestCase("GET", "catalog/items")]
    [TestCase("GET", "catalog/items/sku-1")]
    [TestCase("PUT", "users/u1/consent")]
    [TestCase("GET", "users/u1/export")]
    [TestCase("DELETE", "users/u1")]
    public async Task Every_tenant_admin_route_answers_a_bad_tenant_id_the_same_way(string method, string path)
    {
        using var response = await Ingestion.Client.SendAsync(Admin(new HttpMethod(method), $"/admin/tenants/Bad%20Tenant!/{path}",
            method is "GET" or "DELETE" ? null : new { personalization = true }));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        using var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(problem.RootElement.GetProperty("title").GetString(), Is.EqualTo("Invalid id"));
        Assert.That(problem.RootElement.GetProperty("errors").GetProperty("tenantId")[0].GetString(), Does.StartWith("'Bad Tenant!' is not a valid id: use lower-case letters"));
    }

    [Test]
    public async Task Another_tenant_cannot_read_or_touch_this_tenants_data()
    {
        // Tenant B is a separate tenant with its own source and key; the platform's tenant is A.
        var tenantB = "iso-" + Guid.NewGuid().ToString("N")[..8];
        using var created = await Ingestion.Client.SendAsync(Admin(HttpMethod.Post, $"/admin/tenants/{tenantB}/sources", new { sourceId = "app" }));
        var keyB = (await ReadAsync<SourceCreated>(created, HttpStatusCode.Created)).Key.WriteKey;
        var user = "shared-name-" + Guid.NewGuid().ToString("N")[..6];

        Assert.That(await TrackAsync(WriteKey, user, "a-1"), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await TrackAsync(keyB, user, "a-1"), Is.EqualTo(HttpStatusCode.OK), "the same message id in another tenant is not a duplicate");
        Assert.That(await TrackAsync(keyB, user, "b-2"), Is.EqualTo(HttpStatusCode.OK));
        var profileA = await Profiles.WithCountAsync(user, 1);

        // B's events never reach A's profile of the same user id, and A's read token only ever sees A.
        using var marker = await Ingestion.Client.SendAsync(Post("/v1/track", $$"""{"event":"Marker","userId":"{{user}}","messageId":"a-2"}"""));
        Assert.That((await Profiles.WithCountAsync(user, 2))!.EventCount, Is.EqualTo(2));
        Assert.That(profileA!.TenantId, Is.EqualTo(Tenant));

        // B's write key cannot reach A's streams or the admin API.
        using var adminWithKeyB = await Ingestion.Client.SendAsync(Admin(HttpMethod.Get, $"/admin/tenants/{Tenant}/sources", token: keyB));
        Assert.That(adminWithKeyB.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await Database.ScalarAsync<long>("select count(*) from ingestion.mt_events where stream_id = @s", ("s", $"{Tenant}/user:{user}")), Is.EqualTo(2));
        Assert.That(await Database.ScalarAsync<long>("select count(*) from ingestion.mt_events where stream_id = @s", ("s", $"{tenantB}/user:{user}")), Is.EqualTo(2));
    }
}
