using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Personalization.Contracts;
using Personalization.Contracts.Profiles;
using Personalization.Contracts.V1;
using static Personalization.EndToEnd.Tests.Platform;

namespace Personalization.EndToEnd.Tests;

/// <summary>Consent, export and erasure of one user, across ingestion and their profile actors.</summary>
public class PrivacyTests
{
    private static async Task<JsonElement> SendAsync(HttpRequestMessage request)
    {
        using var response = await Ingestion.Client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task PostAsync(string json)
    {
        using var response = await Ingestion.Client.SendAsync(Post("/v1/batch", $$"""{"batch":[{{json}}]}"""));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    private static Task<long> EventsInAsync(string stream) =>
        Database.ScalarAsync<long>("select count(*) from ingestion.mt_events where stream_id = @s", ("s", stream));

    [Test]
    public async Task Erasing_a_user_removes_their_events_links_and_profile_and_leaves_an_audit_record_without_them()
    {
        var user = "erase-" + Guid.NewGuid().ToString("N")[..8];
        var anonymous = "erase-anon-" + Guid.NewGuid().ToString("N")[..8];
        await PostAsync(string.Join(',',
            JsonSerializer.Serialize(new { type = "track", @event = "Product Viewed", anonymousId = anonymous, messageId = $"{anonymous}-1", properties = new { product_id = "sku-1" } }),
            JsonSerializer.Serialize(new { type = "identify", userId = user, anonymousId = anonymous, messageId = $"{user}-2", traits = new { email = $"{user}@example.com" } }),
            JsonSerializer.Serialize(new { type = "track", @event = "Order Completed", userId = user, messageId = $"{user}-3", properties = new { revenue = 3 } })));
        await Profiles.WithCountAsync(user, 2);

        var export = await SendAsync(Admin(HttpMethod.Get, $"/admin/tenants/{Tenant}/users/{user}/export"));
        Assert.That(export.GetProperty("streams").GetArrayLength(), Is.EqualTo(2), "the user's stream and the linked anonymous one");
        Assert.That(export.GetProperty("events").GetArrayLength(), Is.EqualTo(3));
        Assert.That(export.GetRawText(), Does.Contain($"{user}@example.com"));

        var erased = await SendAsync(Admin(HttpMethod.Delete, $"/admin/tenants/{Tenant}/users/{user}"));

        Assert.That(erased.GetProperty("streamsErased").GetInt32(), Is.EqualTo(2));
        Assert.That(erased.GetProperty("eventsErased").GetInt64(), Is.EqualTo(3));
        Assert.That(await EventsInAsync($"{Tenant}/user:{user}"), Is.Zero);
        Assert.That(await EventsInAsync($"{Tenant}/anonymous:{anonymous}"), Is.Zero);
        var audit = await Database.ScalarAsync<string>(
            "select data::text from ingestion.mt_events where stream_id = @s and data->>'ErasureId' = @id",
            ("s", $"{Tenant}/erasures"), ("id", erased.GetProperty("erasureId").GetString()!));
        Assert.That(audit, Does.Not.Contain(user), "the audit record names no one");
        Assert.That(audit, Does.Contain("UserHash"));
        await TestSupport.Eventually.ReturnsAsync(async () => (await Profiles.GetRawAsync(user)).Status, s => s == HttpStatusCode.NotFound,
            TimeSpan.FromSeconds(30), "the profile actor to forget the user");
        var after = await SendAsync(Admin(HttpMethod.Get, $"/admin/tenants/{Tenant}/users/{user}/export"));
        Assert.That(after.GetProperty("events").GetArrayLength(), Is.Zero);
        Assert.That(after.GetProperty("streams").GetArrayLength(), Is.EqualTo(1), "no identity link is left");
    }

    [Test]
    public async Task Erasure_also_removes_a_profile_kept_under_the_former_state_keys()
    {
        // Profiles used to keep three state keys; one written then must not outlive an erasure.
        var user = "erase-former-" + Guid.NewGuid().ToString("N")[..8];
        await PostAsync(JsonSerializer.Serialize(new { type = "identify", userId = user, messageId = $"{user}-1", traits = new { email = $"{user}@example.com" } }));
        await Profiles.WithCountAsync(user, 1);
        var actor = ProfileActors.IdFor(StreamKey.ForUser(Tenant, user));
        var former = await Database.ScalarAsync<long>($"""
            with written as (
                insert into {ActorStateSchema}.actor_state (actor_type, actor_id, key, value)
                select @type, @id, key, @value from unnest(array['profile', 'stream-position', 'segments']) as key
                returning 1)
            select count(*) from written
            """, ("type", ProfileActors.TypeName), ("id", actor), ("value", JsonSerializer.Serialize(new { email = $"{user}@example.com" })));
        Assert.That(former, Is.EqualTo(3));

        await SendAsync(Admin(HttpMethod.Delete, $"/admin/tenants/{Tenant}/users/{user}"));

        await TestSupport.Eventually.ReturnsAsync(async () => (await Profiles.GetRawAsync(user)).Status, s => s == HttpStatusCode.NotFound,
            TimeSpan.FromSeconds(30), "the profile actor to forget the user");
        var left = await Database.ScalarAsync<string>($"select coalesce(string_agg(key || '=' || value, ', '), '') from {ActorStateSchema}.actor_state where actor_id = @id",
            ("id", actor));
        Assert.That(left, Does.Not.Contain("@example.com"), "no personal data is left in the actor's state");
        Assert.That(left, Does.StartWith("person=").And.Contain("erasedAt").IgnoreCase, "only the erasure time is kept");
    }

    [Test]
    public async Task Copies_of_an_erased_users_events_still_in_flight_do_not_bring_the_profile_back()
    {
        var (user, control) = ("inflight-" + Guid.NewGuid().ToString("N")[..8], "control-" + Guid.NewGuid().ToString("N")[..8]);
        await PostAsync(JsonSerializer.Serialize(new { type = "identify", userId = user, messageId = $"{user}-1", traits = new { email = $"{user}@example.com" } }));
        await Profiles.WithCountAsync(user, 1);
        var receivedBeforeErasure = DateTimeOffset.UtcNow;

        await SendAsync(Admin(HttpMethod.Delete, $"/admin/tenants/{Tenant}/users/{user}"));
        await TestSupport.Eventually.ReturnsAsync(async () => (await Profiles.GetRawAsync(user)).Status, s => s == HttpStatusCode.NotFound,
            TimeSpan.FromSeconds(30), "the profile actor to forget the user");

        // A copy that was still queued, or gets redelivered, would start the profile again with the user's email.
        EventRecorded Stale(long version) => new(Guid.NewGuid(), version, Tenant, "web", StreamKey.ForUser(Tenant, user).ToString(), version,
            $"{user}-{version}", EventTypes.Identify, null, user, null, receivedBeforeErasure, receivedBeforeErasure,
            JsonSerializer.SerializeToElement(new { traits = new { email = $"{user}@example.com" } }));
        await PublishAsync(Stale(1));
        // Published after it: once this one is applied, the stale copy has been delivered too.
        await PublishAsync(Stale(1) with { StreamKey = StreamKey.ForUser(Tenant, control).ToString(), UserId = control, ReceivedAt = DateTimeOffset.UtcNow });
        await Profiles.WithCountAsync(control, 1);

        for (var look = 0; look < 6; look++)
        {
            Assert.That((await Profiles.GetRawAsync(user)).Status, Is.EqualTo(HttpStatusCode.NotFound), "no profile comes back");
            await Task.Delay(500);
        }
    }

    [Test]
    public async Task Events_of_a_user_who_withdrew_consent_are_kept_out_of_their_profile()
    {
        var user = "consent-" + Guid.NewGuid().ToString("N")[..8];
        await PostAsync(JsonSerializer.Serialize(new { type = "track", @event = "Product Viewed", userId = user, messageId = $"{user}-1", properties = new { product_id = "sku-1" } }));
        await Profiles.WithCountAsync(user, 1);

        await SendAsync(Admin(HttpMethod.Put, $"/admin/tenants/{Tenant}/users/{user}/consent", new { personalization = false }));
        await PostAsync(JsonSerializer.Serialize(new { type = "track", @event = "Product Viewed", userId = user, messageId = $"{user}-2", properties = new { product_id = "sku-2" } }));

        var profile = await TestSupport.Eventually.ReturnsAsync(() => Profiles.GetAsync(user), p => p?.ExcludedEvents >= 1, TimeSpan.FromSeconds(30), "the second event applied");
        Assert.That(profile!.EventCount, Is.EqualTo(1));
        Assert.That(profile.RecentlyViewed.Select(v => v.ItemId), Is.EqualTo(new[] { "sku-1" }));
    }

    [Test]
    public async Task Consent_needs_a_clear_answer()
    {
        using var response = await Ingestion.Client.SendAsync(Admin(HttpMethod.Put, $"/admin/tenants/{Tenant}/users/someone/consent", new { }));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("personalization"));
    }
}
