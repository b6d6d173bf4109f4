using Personalization.TestSupport;
using static Personalization.EndToEnd.Tests.Platform;
using static Personalization.EndToEnd.Tests.Triggers.TriggersCalls;

namespace Personalization.EndToEnd.Tests.Triggers;

/// <summary>Erasing a user through ingestion's privacy API reaches Triggers: nothing of theirs is left in its tables.</summary>
public class JourneyErasureTests
{
    [Test]
    public async Task An_erased_persons_occurrences_record_and_push_subscriptions_go()
    {
        await AdminAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/journeys/erasure-probe", new
        {
            name = "Erasure probe", entry = new Dictionary<string, object> { ["event"] = "Erasure Probe" },
            steps = new object[] { new { id = "wait", wait = "1h" } },
        });
        await AdminAsync(HttpMethod.Post, $"/admin/tenants/{Tenant}/journeys/erasure-probe/publish");
        var user = "kim-" + Guid.NewGuid().ToString("N")[..8];
        var batch = new object[]
        {
            new { type = "track", userId = user, messageId = $"{user}-probe", @event = "Erasure Probe" },
            new { type = "track", userId = user, messageId = $"{user}-push", @event = "Push Subscribed",
                  properties = new { endpoint = $"https://push.example.com/{user}", keys = new { p256dh = "key", auth = "secret" } } },
        };
        await PostEventsAsync(batch);
        await Eventually.ReturnsAsync(() => RowsAsync(user), n => n >= 3, TimeSpan.FromSeconds(30), "the occurrence, its record and the subscription");

        using (var erased = await Ingestion.Client.SendAsync(Admin(HttpMethod.Delete, $"/admin/tenants/{Tenant}/users/{user}")))
            Assert.That(erased.IsSuccessStatusCode, Is.True, await erased.Content.ReadAsStringAsync());
        await Eventually.ReturnsAsync(() => RowsAsync(user), n => n == 0, TimeSpan.FromSeconds(30), "Triggers to forget the person");
    }

    private static Task<long> RowsAsync(string user) => Database.ScalarAsync<long>("""
        select (select count(*) from triggers.occurrences where tenant_id = @tenant and user_id = @user)
             + (select count(*) from triggers.journey_log where tenant_id = @tenant and user_id = @user)
             + (select count(*) from triggers.push_subscriptions where tenant_id = @tenant and user_id = @user)
        """, ("tenant", Tenant), ("user", user));
}
