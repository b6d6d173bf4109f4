using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Personalization.Contracts;
using Personalization.Contracts.Profiles;
using Personalization.TestSupport;
using static Personalization.EndToEnd.Tests.Platform;
using static Personalization.EndToEnd.Tests.Segments.SegmentCalls;

namespace Personalization.EndToEnd.Tests.Segments;

/// <summary>Rule segments as a tenant uses them: defined through the admin API, decided in the profile actors, announced on RabbitMQ.</summary>
public class SegmentJourneyTests
{
    private static Task PostAsync(string user, int n, string @event, object properties) =>
        PostAsync(new { type = "track", @event, userId = user, messageId = $"{user}-{n}", timestamp = DateTimeOffset.UtcNow.ToString("O"), properties });

    private static async Task PostAsync(object message)
    {
        using var response = await Ingestion.Client.SendAsync(Post("/v1/batch", $$"""{"batch":[{{JsonSerializer.Serialize(message)}}]}"""));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_cart_abandoner_enters_at_the_deadline_with_nobody_sending_events_and_leaves_on_purchase()
    {
        var segment = "cart-" + Guid.NewGuid().ToString("N")[..8];
        await DefineAsync(segment, """{"name": "Cart abandoners (demo window)", "condition": {"performed": "Product Added", "notFollowedBy": "Order Completed", "within": "4s"}}""", HttpStatusCode.Created);
        await using var listener = await SegmentTransitionsListener.StartAsync();
        var user = "abandoner-" + Guid.NewGuid().ToString("N")[..8];

        var stream = $"{Tenant}/user:{user}";
        await PostAsync(user, 1, "Product Added", new { product_id = "sku-1", price = 12 });
        var added = await Profiles.WithCountAsync(user, 1);
        Assert.That(added!.Segments, Does.Not.ContainKey(segment), "not before the window has passed");

        var entered = await Eventually.ReturnsAsync(() => Task.FromResult(listener.Entered(segment, stream)), e => e.Count > 0, TimeSpan.FromSeconds(60), "the entry");
        Assert.That(entered[0].UserId, Is.EqualTo(user));
        Assert.That(entered[0].CausedByEventId, Is.Null, "a deadline, not an event, put them in");
        Assert.That(entered[0].TransitionNumber, Is.EqualTo(1));
        Assert.That((await Profiles.GetAsync(user))!.Segments.Keys, Does.Contain(segment));

        await PostAsync(user, 2, "Order Completed", new { order_id = "o-1", revenue = 12 });
        var exited = await Eventually.ReturnsAsync(() => Task.FromResult(listener.Exited(segment, stream)), e => e.Count > 0, TimeSpan.FromSeconds(60), "the exit");
        Assert.That(exited[0].CausedByEventId, Is.Not.Null);
        Assert.That(exited[0].TransitionNumber, Is.EqualTo(2));
        Assert.That((await Profiles.GetAsync(user))!.Segments.Keys, Does.Not.Contain(segment));
        // No deadline is left, so neither is the reminder (it repeats until replaced or removed).
        await Eventually.ReturnsAsync(() => Database.ScalarAsync<long>($"select count(*) from {ActorStateSchema}.reminders where actor_id = @id",
            ("id", ProfileActors.IdFor(StreamKey.ForUser(Tenant, user)))), n => n == 0, TimeSpan.FromSeconds(30), "the deadline reminder to be removed");

        // Each change went out once.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.That(listener.Entered(segment, stream).Count + listener.Exited(segment, stream).Count, Is.EqualTo(2));
    }

    [Test]
    public async Task A_rebuild_from_the_event_log_gives_the_live_memberships_and_announces_nothing_twice()
    {
        var segment = "rebuilt-" + Guid.NewGuid().ToString("N")[..8];
        await DefineAsync(segment, """{"name": "Cart abandoners", "condition": {"performed": "Product Added", "notFollowedBy": "Order Completed", "within": "2s"}}""", HttpStatusCode.Created);
        await using var listener = await SegmentTransitionsListener.StartAsync();
        var user = "rebuilt-" + Guid.NewGuid().ToString("N")[..8];
        var stream = $"{Tenant}/user:{user}";
        await PostAsync(user, 1, "Product Added", new { product_id = "sku-1" });
        await Eventually.ReturnsAsync(() => Task.FromResult(listener.Entered(segment, stream)), e => e.Count > 0, TimeSpan.FromSeconds(60), "the entry");
        var live = (await Profiles.GetAsync(user))!.Segments[segment];

        await RestartActorsWithEmptyStateAsync();
        await RunVerbAsync("services/Segmentation", "rebuild-profiles");

        var rebuilt = await Eventually.ReturnsAsync(() => Profiles.GetAsync(user), p => p?.Segments.ContainsKey(segment) == true, TimeSpan.FromSeconds(60), "the rebuilt membership");
        Assert.That(rebuilt!.Segments[segment], Is.EqualTo(live), "entered at the same instant, the deadline");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.That(listener.Entered(segment, stream).Count + listener.Exited(segment, stream).Count, Is.EqualTo(1), "the rebuild re-decided the entry under the same key");
    }

    [Test]
    public async Task An_anonymous_abandoner_who_logs_in_leaves_as_a_visitor_and_enters_as_the_person()
    {
        var segment = "anon-cart-" + Guid.NewGuid().ToString("N")[..8];
        await DefineAsync(segment, """{"name": "Cart abandoners", "condition": {"performed": "Product Added", "notFollowedBy": "Order Completed", "within": "3s"}}""", HttpStatusCode.Created);
        await using var listener = await SegmentTransitionsListener.StartAsync();
        var (anonymous, user) = ("visitor-" + Guid.NewGuid().ToString("N")[..8], "member-" + Guid.NewGuid().ToString("N")[..8]);

        await PostAsync(new { type = "track", @event = "Product Added", anonymousId = anonymous, messageId = $"{anonymous}-1", timestamp = DateTimeOffset.UtcNow.ToString("O"), properties = new { product_id = "sku-1" } });
        var visitorStream = $"{Tenant}/anonymous:{anonymous}";
        var visitor = await Eventually.ReturnsAsync(() => Task.FromResult(listener.Entered(segment, visitorStream)), e => e.Count > 0, TimeSpan.FromSeconds(60), "the visitor's entry");
        Assert.That(visitor[0].UserId, Is.Null);

        await PostAsync(new { type = "identify", userId = user, anonymousId = anonymous, messageId = $"{user}-login", timestamp = DateTimeOffset.UtcNow.ToString("O"), traits = new { email = $"{user}@example.com" } });

        await Eventually.ReturnsAsync(() => Task.FromResult(listener.Exited(segment, visitorStream)), e => e.Count > 0, TimeSpan.FromSeconds(60), "the visitor's exit");
        var person = await Eventually.ReturnsAsync(() => Task.FromResult(listener.Entered(segment, $"{Tenant}/user:{user}")), e => e.Count > 0, TimeSpan.FromSeconds(60), "the person's entry");
        Assert.That(person[0].CausedByEventId, Is.Not.Null, "the login brought the visitor's cart into the person's profile");
    }

    [Test]
    public async Task Definitions_are_versioned_and_faults_are_named_by_path()
    {
        var segment = "views-" + Guid.NewGuid().ToString("N")[..8];
        const string first = """{"name": "Viewers", "condition": {"performed": "Product Viewed", "atLeast": 3, "within": "7d"}}""";
        var created = await DefineAsync(segment, first, HttpStatusCode.Created);
        Assert.That(created.GetProperty("version").GetInt32(), Is.EqualTo(1));

        var same = await DefineAsync(segment, first, HttpStatusCode.OK);
        Assert.That(same.GetProperty("version").GetInt32(), Is.EqualTo(1), "saving the same definition makes no version");

        var changed = await DefineAsync(segment, """{"name": "Viewers", "condition": {"performed": "Product Viewed", "atLeast": 5, "within": "7d"}}""", HttpStatusCode.OK);
        Assert.That(changed.GetProperty("version").GetInt32(), Is.EqualTo(2));
        Assert.That(changed.GetProperty("versions").GetArrayLength(), Is.EqualTo(2));

        using var old = await Segmentation.Client.SendAsync(Admin(HttpMethod.Get, $"/admin/tenants/{Tenant}/segments/{segment}/versions/1"));
        var oldBody = await old.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(oldBody.GetProperty("definition").GetProperty("condition").GetProperty("atLeast").GetInt32(), Is.EqualTo(3));

        var bad = await DefineAsync("bad-" + segment, """{"name": "Bad", "condition": {"and": [{"segment": "no-such-segment"}, {"performed": "Product Viewed", "within": "soon"}]}}""", HttpStatusCode.BadRequest);
        var errors = bad.GetProperty("errors");
        Assert.That(errors.TryGetProperty("$.condition.and[1].within", out _), Is.True, bad.ToString());

        var unknown = await DefineAsync("bad-" + segment, """{"name": "Bad", "condition": {"segment": "no-such-segment"}}""", HttpStatusCode.BadRequest);
        Assert.That(unknown.GetProperty("errors").GetProperty("$.condition.segment")[0].GetString(), Does.Contain("Unknown segment"));

        using var anonymous = await Segmentation.Client.SendAsync(Admin(HttpMethod.Get, $"/admin/tenants/{Tenant}/segments", token: "wrong"));
        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
