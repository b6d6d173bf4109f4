using System.Net;
using System.Text.Json;
using Personalization.TestSupport;
using static Personalization.EndToEnd.Tests.Platform;
using static Personalization.EndToEnd.Tests.Triggers.TriggersCalls;

namespace Personalization.EndToEnd.Tests.Triggers;

/// <summary>A tenant's journeys start on its own people's events only, and its definitions and stats are not another tenant's to read.</summary>
public class JourneyIsolationTests
{
    [Test]
    public async Task Another_tenants_event_enters_nothing_and_its_admin_paths_do_not_reach_this_tenants_journey()
    {
        var other = "iso-" + Guid.NewGuid().ToString("N")[..8];
        using var source = await Ingestion.Client.SendAsync(Admin(HttpMethod.Post, $"/admin/tenants/{other}/sources", new { sourceId = "web" }));
        var otherKey = JsonDocument.Parse(await source.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetProperty("writeKey").GetString()!;
        await AdminAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/journeys/isolation", new
        {
            name = "Isolation", entry = new Dictionary<string, object> { ["event"] = "Isolation Probe" }, reentry = "everyTime",
            steps = new object[] { new { id = "wait", wait = "1h" } },
        });
        await AdminAsync(HttpMethod.Post, $"/admin/tenants/{Tenant}/journeys/isolation/publish");

        var user = "jo-" + Guid.NewGuid().ToString("N")[..8];
        foreach (var (key, id) in new[] { (otherKey, "other"), (WriteKey, "own") })
        {
            var batch = new[] { new { type = "track", userId = user, messageId = $"{user}-{id}", @event = "Isolation Probe" } };
            await PostEventsAsync(batch, key);
        }
        await Eventually.ReturnsAsync(() => Database.ScalarAsync<long>(
                "select count(*) from triggers.occurrences where journey_id = 'isolation' and user_id = @user", ("user", user)),
            n => n >= 1, TimeSpan.FromSeconds(30), "the own tenant's person to enter");
        // The other tenant's event was posted first: by the time this tenant's entered, it had its chance.
        Assert.That(await Database.ScalarAsync<string>(
            "select string_agg(distinct tenant_id, ',') from triggers.occurrences where journey_id = 'isolation' and user_id = @user", ("user", user)), Is.EqualTo(Tenant));

        foreach (var path in new[] { "journeys/isolation", "journeys/isolation/stats" })
        {
            using var response = await Platform.Triggers.Client.SendAsync(Admin(HttpMethod.Get, $"/admin/tenants/{other}/{path}"));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), path);
        }
    }
}
