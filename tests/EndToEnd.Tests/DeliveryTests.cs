using System.Text.Json;
using MassTransit;
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

    private static async Task PublishAsync(params EventRecorded[] messages)
    {
        var uri = new Uri(RabbitMqConnectionString);
        var credentials = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2);
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(uri, h =>
        {
            h.Username(credentials[0]);
            h.Password(credentials[1]);
        }));
        await bus.StartAsync();
        try
        {
            foreach (var message in messages)
                await bus.Publish(message, context => context.MessageId = message.EventId);
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    [Test]
    public async Task Redelivered_and_reordered_messages_are_applied_once_in_stream_order()
    {
        var user = "delivery-" + Guid.NewGuid().ToString("N")[..8];
        var (v1, v2, v3) = (Viewed(user, 1, "sku-1"), Viewed(user, 2, "sku-2"), Viewed(user, 3, "sku-3"));

        await PublishAsync(v3, v1, v3, v2, v1);
        var profile = await Profiles.WithCountAsync(user, 3);
        Assert.That(profile!.RecentlyViewed.Select(v => v.ItemId), Is.EqualTo(new[] { "sku-3", "sku-2", "sku-1" }), "applied as v1, v2, v3");

        // Anything double-counted would show once this later event is in.
        await PublishAsync(v2, Viewed(user, 4, "sku-4"));
        Assert.That((await Profiles.WithCountAsync(user, 4))!.EventCount, Is.EqualTo(4));
    }
}
