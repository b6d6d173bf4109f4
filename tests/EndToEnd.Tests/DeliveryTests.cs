using System.Net;
using System.Text.Json;
using Personalization.Contracts;
using Personalization.Contracts.Profiles;
using Personalization.Contracts.V1;
using static Personalization.EndToEnd.Tests.Platform;

namespace Personalization.EndToEnd.Tests;

/// <summary>What RabbitMQ may do to messages (redeliver, reorder), done on purpose to the real consumer and actors.</summary>
public class DeliveryTests
{
    private static EventRecorded Viewed(string user, long version, string item) => new(
        Guid.NewGuid(), version, Tenant, "web", StreamKey.ForUser(Tenant, user).ToString(), version, $"{user}-{version}",
        EventTypes.Track, "Product Viewed", user, null, DateTimeOffset.UtcNow.AddMinutes(version), DateTimeOffset.UtcNow,
        JsonSerializer.SerializeToElement(new { properties = new { product_id = item } }));

    private static async Task TrackAsync(string user, params int[] versions)
    {
        var batch = versions.Select(v => JsonSerializer.Serialize(new
        {
            type = "track", @event = "Product Viewed", userId = user, messageId = $"{user}-{v}",
            timestamp = DateTimeOffset.UtcNow.AddMinutes(v).ToString("O"), properties = new { product_id = $"sku-{v}" },
        }));
        using var response = await Ingestion.Client.SendAsync(Post("/v1/batch", $$"""{"batch":[{{string.Join(',', batch)}}]}"""));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Redelivered_and_reordered_messages_are_applied_once_in_stream_order()
    {
        var user = "delivery-" + Guid.NewGuid().ToString("N")[..8];
        var (v1, v2, v3) = (Viewed(user, 1, "sku-1"), Viewed(user, 2, "sku-2"), Viewed(user, 3, "sku-3"));

        // The events are in the log (as every delivered event is) while the relay is down, so only the copies
        // below reach the consumer first, redelivered and out of order; the relay's own deliveries follow.
        await RestartRelayAsync(async () =>
        {
            await TrackAsync(user, 1, 2, 3);
            await PublishAsync(v3, v1, v3, v2, v1);
        });
        var profile = await Profiles.WithCountAsync(user, 3);
        Assert.That(profile!.RecentlyViewed.Select(v => v.ItemId), Is.EqualTo(new[] { "sku-3", "sku-2", "sku-1" }), "applied as v1, v2, v3");

        // Anything double-counted would show once this later event is in.
        await TrackAsync(user, 4);
        await PublishAsync(v2, Viewed(user, 4, "sku-4"));
        Assert.That((await Profiles.WithCountAsync(user, 4))!.EventCount, Is.EqualTo(4));
    }

    [Test]
    public async Task Messages_of_several_people_with_repeats_and_disorder_inside_them_are_applied_once_in_stream_order()
    {
        var (ann, bob) = ("batch-ann-" + Guid.NewGuid().ToString("N")[..8], "batch-bob-" + Guid.NewGuid().ToString("N")[..8]);
        var a = Enumerable.Range(1, 4).Select(v => Viewed(ann, v, $"a-{v}")).ToArray();
        var b = Enumerable.Range(1, 3).Select(v => Viewed(bob, v, $"b-{v}")).ToArray();

        await RestartRelayAsync(async () =>
        {
            await TrackAsync(ann, 1, 2, 3, 4);
            await TrackAsync(bob, 1, 2, 3);
            // Each person's events arrive ahead of their turn, twice, and split over messages handled concurrently.
            await PublishAsync(
                new EventsRecorded([a[3], b[2], a[1], a[3]]),
                new EventsRecorded([b[0], a[2], b[2], a[0]]),
                new EventsRecorded([a[1], b[1], a[0], b[0]]));
        });

        var annProfile = await Profiles.WithCountAsync(ann, 4);
        Assert.That(annProfile!.RecentlyViewed.Select(v => v.ItemId), Is.EqualTo(new[] { "a-4", "a-3", "a-2", "a-1" }));
        var bobProfile = await Profiles.WithCountAsync(bob, 3);
        Assert.That(bobProfile!.RecentlyViewed.Select(v => v.ItemId), Is.EqualTo(new[] { "b-3", "b-2", "b-1" }));
        // The relay's own copies followed: still counted once.
        await TrackAsync(ann, 5);
        Assert.That((await Profiles.WithCountAsync(ann, 5))!.EventCount, Is.EqualTo(5));
        Assert.That((await Profiles.GetAsync(bob))!.EventCount, Is.EqualTo(3));
    }

    [Test]
    public async Task An_early_event_whose_earlier_versions_the_log_does_not_have_is_not_kept()
    {
        // Delivered events are committed after their stream's earlier ones, so only an erased stream lacks them:
        // waiting for them would keep erased data in the actor for ever.
        var (user, control) = ("orphan-" + Guid.NewGuid().ToString("N")[..8], "control-" + Guid.NewGuid().ToString("N")[..8]);
        await PublishAsync(Viewed(user, 3, "sku-3"));
        await TrackAsync(control, 1);
        await Profiles.WithCountAsync(control, 1);

        var actorId = ProfileActors.IdFor(StreamKey.ForUser(Tenant, user));
        await TestSupport.Eventually.ReturnsAsync(
            () => Database.ScalarAsync<long>($"select count(*) from {ActorStateSchema}.actor_state where actor_id = @id", ("id", actorId)),
            rows => rows == 0, TimeSpan.FromSeconds(30), "the actor to drop the event it cannot place");
        Assert.That((await Profiles.GetRawAsync(user)).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
