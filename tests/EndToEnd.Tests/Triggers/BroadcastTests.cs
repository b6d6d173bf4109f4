using System.Net;
using System.Text.Json;
using Personalization.EndToEnd.Tests.Segments;
using Personalization.TestSupport;
using static Personalization.EndToEnd.Tests.Platform;
using static Personalization.EndToEnd.Tests.Triggers.TriggersCalls;

namespace Personalization.EndToEnd.Tests.Triggers;

/// <summary>A broadcast journey: at its time, the members of a rule segment (read from Segmentation) enter, and each gets one email.</summary>
public class BroadcastTests
{
    [Test]
    public async Task At_its_time_a_broadcast_enters_each_member_of_the_segment_once()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var probe = $"Broadcast Probe {run}";
        await SegmentCalls.DefineAsync($"bc-{run}", JsonSerializer.Serialize(new { name = "Broadcast audience", condition = new { performed = probe } }), HttpStatusCode.Created);
        var members = Enumerable.Range(0, 3).Select(n => $"bc-{run}-{n}").ToList();
        var outsider = $"bc-{run}-out";
        var batch = members.Append(outsider).SelectMany(user => new object[]
        {
            new { type = "identify", userId = user, messageId = $"{user}-identify", traits = new { email = $"{user}@example.com" } },
            new { type = "track", userId = user, messageId = $"{user}-probe", @event = user == outsider ? "Something Else" : probe },
        });
        await PostEventsAsync(batch);
        await Eventually.ReturnsAsync(async () => (await SegmentCalls.ReadAsync($"/api/segments/bc-{run}")).Body, b => b.ValueKind == JsonValueKind.Object && b.GetProperty("members").GetInt32() == 3,
            TimeSpan.FromSeconds(60), "the segment to have its three members");

        await AdminAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/templates/bc-note", new { name = "Note", channel = "email", subject = "News for you", text = "Hello" });
        await AdminAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/journeys/bc-{run}", new
        {
            name = "Broadcast", entry = new { broadcast = new { segment = $"bc-{run}", at = DateTimeOffset.UtcNow.AddSeconds(3).ToString("O") } }, reentry = "everyTime",
            steps = new object[] { new { id = "note", send = new { channel = "email", template = "bc-note" } } },
        });
        await AdminAsync(HttpMethod.Post, $"/admin/tenants/{Tenant}/journeys/bc-{run}/publish");

        using var smtp = new SmtpInbox(await LocalInfrastructure.EnsureStartedAsync());
        foreach (var user in members)
            await Eventually.ReturnsAsync(() => smtp.ToAsync($"{user}@example.com"), m => m.Count > 0, TimeSpan.FromSeconds(60), $"{user}'s email");
        await Task.Delay(TimeSpan.FromSeconds(12)); // two more ticks of the scheduler: the run is done and runs no more
        foreach (var user in members)
            Assert.That(await smtp.ToAsync($"{user}@example.com"), Has.Count.EqualTo(1), user);
        Assert.That(await smtp.ToAsync($"{outsider}@example.com"), Is.Empty);
        Assert.That(await Database.ScalarAsync<string>("select state from triggers.broadcast_runs where tenant_id = @tenant and journey_id = @journey",
            ("tenant", Tenant), ("journey", $"bc-{run}")), Is.EqualTo("Done"));
    }
}
