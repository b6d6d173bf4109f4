using Personalization.TestSupport;
using static Personalization.EndToEnd.Tests.Platform;
using static Personalization.EndToEnd.Tests.Triggers.TriggersCalls;

namespace Personalization.EndToEnd.Tests.Triggers;

/// <summary>
/// Exactly once under fire: 1,000 occurrences wait and send while Triggers is killed (no graceful stop) at random
/// moments, and the SMTP server counts what each person got. Nobody may go without; a second copy may only come
/// from a kill inside an SMTP exchange, so there are at most as many as sends were in flight at the kills.
/// </summary>
public class ChaosTests
{
    private const int People = 1000;
    private const int Kills = 4;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(12);

    [Test]
    public async Task Killing_Triggers_while_a_thousand_occurrences_run_loses_no_message_and_repeats_only_in_flight_ones()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var seed = Environment.TickCount;
        var random = new Random(seed);
        TestContext.Out.WriteLine($"run {run}, kill schedule seed {seed}");
        await AdminAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/templates/chaos", new { name = "Chaos", channel = "email", subject = "Chaos {{ event.properties.n }}", text = "n {{ event.properties.n }}" });
        await AdminAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/journeys/chaos", new
        {
            name = "Chaos", entry = new Dictionary<string, object> { ["event"] = "Chaos Started", ["where"] = new { run } }, key = "n",
            steps = new object[] { new { id = "wait", wait = $"PT{Wait.TotalSeconds}S" }, new { id = "email", send = new { channel = "email", template = "chaos" } } },
        });
        await AdminAsync(HttpMethod.Post, $"/admin/tenants/{Tenant}/journeys/chaos/publish");

        string Address(int n) => $"chaos-{run}-{n}@example.com";
        foreach (var chunk in Enumerable.Range(0, People).Chunk(100))
        {
            var batch = chunk.SelectMany(n => new object[]
            {
                new { type = "identify", userId = $"chaos-{run}-{n}", messageId = $"chaos-{run}-{n}-identify", traits = new { email = Address(n) } },
                new { type = "track", userId = $"chaos-{run}-{n}", messageId = $"chaos-{run}-{n}-start", @event = "Chaos Started", properties = new { run, n } },
            });
            await PostEventsAsync(batch);
        }
        // The platform's test queues are temporary (deleted with their consumer), so the kills start once everyone
        // has entered; entries while Triggers is down are RabbitMQ's durable queues' to keep, tested with the relay.
        await Eventually.ReturnsAsync(() => CountAsync("select count(*) from triggers.occurrences where tenant_id = @tenant and journey_id = 'chaos'"),
            n => n == People, TimeSpan.FromSeconds(120), "everyone to enter");

        // Kills spread over the waits and the sending that follows them.
        var started = DateTime.UtcNow;
        foreach (var at in Enumerable.Range(0, Kills).Select(_ => TimeSpan.FromSeconds(2 + random.NextDouble() * 28)).Order())
        {
            if (started + at > DateTime.UtcNow) await Task.Delay(started + at - DateTime.UtcNow);
            var sent = await CountAsync("select count(*) from triggers.outbox where tenant_id = @tenant and journey_id = 'chaos' and status = 'Sent'");
            TestContext.Out.WriteLine($"kill at {at.TotalSeconds:F1} s ({sent} sent)");
            await KillTriggersAsync(() => Task.Delay(TimeSpan.FromSeconds(random.NextDouble() * 2)));
        }

        await Eventually.ReturnsAsync(() => CountAsync("select count(*) from triggers.outbox where tenant_id = @tenant and journey_id = 'chaos' and status = 'Sent'"),
            n => n == People, TimeSpan.FromSeconds(240), "every message to be sent");
        using var smtp = new SmtpInbox(await LocalInfrastructure.EnsureStartedAsync());
        var wanted = Enumerable.Range(0, People).Select(Address).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var received = await smtp.AllAsync(all => wanted.IsSubsetOf(all.SelectMany(SmtpInbox.Recipients)), TimeSpan.FromSeconds(30));
        var counts = received.SelectMany(SmtpInbox.Recipients).Where(wanted.Contains)
            .GroupBy(a => a, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
        var repeated = counts.Values.Sum(c => c - 1);
        TestContext.Out.WriteLine($"{counts.Count} of {People} people got their email; {repeated} repeated after {Kills} kills");

        var missing = wanted.Where(a => !counts.ContainsKey(a)).ToList();
        if (missing.Count > 0)
            TestContext.Out.WriteLine("outbox rows of those missing: " + await Database.ScalarAsync<string>(
                "select string_agg(user_id || ' attempts ' || attempts || ' sent ' || sent_at, '; ') from triggers.outbox where tenant_id = @tenant and journey_id = 'chaos' and user_id = any(@users)",
                ("tenant", Tenant), ("users", missing.Select(a => a.Split('@')[0]).ToArray())));
        Assert.That(missing, Is.Empty, "nobody goes without");
        Assert.That(await CountAsync("select count(*) from triggers.outbox where tenant_id = @tenant and journey_id = 'chaos'"), Is.EqualTo(People),
            "one send key per occurrence's step, however often its turn ran");
        Assert.That(repeated, Is.LessThanOrEqualTo(Kills * Platform.TriggersSendsInFlight), "repeats only of sends in flight at a kill");
    }

    private static Task<long> CountAsync(string sql) => Database.ScalarAsync<long>(sql, ("tenant", Tenant));
}
