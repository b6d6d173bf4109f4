using System.Net;
using System.Text.Json;
using Personalization.Contracts;
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
    public async Task An_early_event_whose_earlier_versions_the_log_does_not_have_is_not_kept()
    {
        // Delivered events are committed after their stream's earlier ones, so only an erased stream lacks them:
        // waiting for them would keep erased data in the actor for ever.
        var (user, control) = ("orphan-" + Guid.NewGuid().ToString("N")[..8], "control-" + Guid.NewGuid().ToString("N")[..8]);
        await PublishAsync(Viewed(user, 3, "sku-3"));
        await TrackAsync(control, 1);
        await Profiles.WithCountAsync(control, 1);

        var actorId = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(StreamKey.ForUser(Tenant, user).ToString()));
        await TestSupport.Eventually.ReturnsAsync(
            () => Database.ScalarAsync<long>($"select count(*) from {ActorStateSchema}.actor_state where actor_id = @id", ("id", actorId)),
            rows => rows == 0, TimeSpan.FromSeconds(30), "the actor to drop the event it cannot place");
        Assert.That((await Profiles.GetRawAsync(user)).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
