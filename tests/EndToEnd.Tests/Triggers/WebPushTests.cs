using Personalization.TestSupport;
using static Personalization.EndToEnd.Tests.Platform;
using static Personalization.EndToEnd.Tests.Triggers.TriggersCalls;

namespace Personalization.EndToEnd.Tests.Triggers;

/// <summary>
/// Web Push end to end: the subscriptions registered through the tracking API, the journey's push encrypted for
/// each by Triggers, decrypted at a real HTTP push endpoint with the subscription's own keys; a gone subscription dropped.
/// </summary>
public class WebPushTests
{
    [Test]
    public async Task A_push_reaches_the_subscription_decryptable_with_its_keys_and_a_gone_one_is_dropped()
    {
        using var device = new PushDevice();
        var user = "ivy-" + Guid.NewGuid().ToString("N")[..8];
        await AdminAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/templates/welcome-push", new
        {
            name = "Welcome push", channel = "push", title = "Welcome, {{ profile.traits.firstName }}", body = "Your {{ event.properties.plan }} plan is ready", url = "https://shop.example.com/start",
        });
        await AdminAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/journeys/welcome-push", new
        {
            name = "Welcome by push", entry = new Dictionary<string, object> { ["event"] = "Signed Up", ["where"] = new { via = "push-test" } },
            steps = new object[] { new { id = "push", send = new { channel = "push", template = "welcome-push" } } },
        });
        await AdminAsync(HttpMethod.Post, $"/admin/tenants/{Tenant}/journeys/welcome-push/publish");

        // Two devices: one that works and one whose subscription has expired at the push service.
        await PostEventsAsync([
            new { type = "identify", userId = user, messageId = $"{user}-identify", traits = new { firstName = "Ivy" } },
            Subscribed(user, $"{device.Url}/push/{user}", device),
            Subscribed(user, $"{device.Url}/gone/{user}", device)]);
        await Eventually.ReturnsAsync(() => SubscriptionsAsync(user), n => n == 2, TimeSpan.FromSeconds(30), "both subscriptions to be kept");
        await PostEventsAsync([new { type = "track", userId = user, messageId = $"{user}-signup", @event = "Signed Up", properties = new { via = "push-test", plan = "pro" } }]);

        var push = await Eventually.ReturnsAsync(() => Task.FromResult(device.Received.FirstOrDefault(p => p.Path == $"/push/{user}")), p => p is not null,
            TimeSpan.FromSeconds(60), "the push at the device");
        Assert.That(push!.Payload.GetProperty("title").GetString(), Is.EqualTo("Welcome, Ivy"));
        Assert.That(push.Payload.GetProperty("body").GetString(), Is.EqualTo("Your pro plan is ready"));
        Assert.That(push.Payload.GetProperty("url").GetString(), Is.EqualTo("https://shop.example.com/start"));
        Assert.That(push.VapidKey, Is.EqualTo(VapidPublicKey));
        // Lib.Net.Http.WebPush names the origin without its port; real push services listen on 443, where that is the origin.
        Assert.That(PushDevice.IsSigned(push.VapidToken, VapidPublicKey, "http://127.0.0.1"), Is.True, $"a VAPID token signed for the push service: {push.VapidToken}");
        Assert.That(PushDevice.IsSigned(push.VapidToken, device.P256dh, "http://127.0.0.1"), Is.False, "the check tells another key's signature apart");
        Assert.That(push.Topic, Has.Length.InRange(1, 32));

        await Eventually.ReturnsAsync(() => SubscriptionsAsync(user), n => n == 1, TimeSpan.FromSeconds(30), "the gone subscription to be dropped");
        Assert.That(device.Refused, Does.Contain($"/gone/{user}"));
        // The outbox row is settled after the sender returns, which is after both devices were tried.
        await Eventually.ReturnsAsync(() => Database.ScalarAsync<string>("select status from triggers.outbox where tenant_id = @tenant and user_id = @user", ("tenant", Tenant), ("user", user)),
            s => s == "Sent", TimeSpan.FromSeconds(30), "the push to be settled as sent");
    }

    private static object Subscribed(string user, string endpoint, PushDevice device) => new
    {
        type = "track", userId = user, messageId = $"{user}-{Guid.NewGuid():N}", @event = "Push Subscribed",
        properties = new { endpoint, keys = new { p256dh = device.P256dh, auth = device.Auth } },
    };

    private static Task<long> SubscriptionsAsync(string user) => Database.ScalarAsync<long>(
        "select count(*) from triggers.push_subscriptions where tenant_id = @tenant and user_id = @user", ("tenant", Tenant), ("user", user));
}
