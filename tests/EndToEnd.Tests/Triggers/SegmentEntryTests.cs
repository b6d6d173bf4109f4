using System.Net;
using System.Text.Json;
using Personalization.EndToEnd.Tests.Segments;
using Personalization.TestSupport;
using static Personalization.EndToEnd.Tests.Platform;
using static Personalization.EndToEnd.Tests.Triggers.TriggersCalls;

namespace Personalization.EndToEnd.Tests.Triggers;

/// <summary>A journey that starts when Segmentation announces a person entered a segment (SegmentEntered over RabbitMQ).</summary>
public class SegmentEntryTests
{
    [Test]
    public async Task Entering_the_segment_starts_the_journey_once()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var segment = $"vip-{run}";
        await SegmentCalls.DefineAsync(segment, JsonSerializer.Serialize(new { name = "VIPs", condition = new { performed = $"Went VIP {run}" } }), HttpStatusCode.Created);
        await AdminAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/templates/vip-welcome", new { name = "VIP welcome", channel = "email", subject = "Welcome to VIP", text = "Hello" });
        await AdminAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/journeys/vip-{run}", new
        {
            name = "VIP welcome", entry = new { segmentEntered = segment },
            steps = new object[] { new { id = "welcome", send = new { channel = "email", template = "vip-welcome" } } },
        });
        await AdminAsync(HttpMethod.Post, $"/admin/tenants/{Tenant}/journeys/vip-{run}/publish");

        var user = $"lee-{run}";
        var batch = new object[]
        {
            new { type = "identify", userId = user, messageId = $"{user}-identify", traits = new { email = $"{user}@example.com" } },
            new { type = "track", userId = user, messageId = $"{user}-vip", @event = $"Went VIP {run}" },
            new { type = "track", userId = user, messageId = $"{user}-vip-again", @event = $"Went VIP {run}" },
        };
        await PostEventsAsync(batch);

        using var smtp = new SmtpInbox(await LocalInfrastructure.EnsureStartedAsync());
        var received = await Eventually.ReturnsAsync(() => smtp.ToAsync($"{user}@example.com"), m => m.Count > 0, TimeSpan.FromSeconds(60), "the VIP welcome");
        Assert.That(received[0].GetProperty("subject").GetString(), Is.EqualTo("Welcome to VIP"));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.That(await smtp.ToAsync($"{user}@example.com"), Has.Count.EqualTo(1), "one entry: the person entered the segment once");
    }
}
