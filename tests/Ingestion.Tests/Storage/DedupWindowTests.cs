using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Personalization.Ingestion.Storage;
using Personalization.TestSupport;
using static Personalization.Ingestion.Tests.Storage.WriterHost;

namespace Personalization.Ingestion.Tests.Storage;

/// <summary>
/// The dedup window and its cleanup against the real PostgreSQL cluster. The window is 30 days, as by default; a
/// movable clock stands in for the passing days. Each test uses its own tenant and asserts only on its own rows.
/// </summary>
public class DedupWindowTests
{
    private static readonly TimeSpan Window = TimeSpan.FromDays(30);

    private TestDatabase _database = null!;
    private IHost _host = null!;
    private readonly MovableClock _clock = new(DateTimeOffset.UtcNow);

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync("ingestion_dedup");
        _host = await WriterHost.StartAsync(_database.ConnectionString, new Dictionary<string, string>
        {
            ["Ingestion:DedupWindow"] = "30.00:00:00",
            ["Ingestion:DedupCleanupBatchSize"] = "7",
            ["Ingestion:DedupCleanupInterval"] = "1.00:00:00",
        }, _clock, withCleanup: true);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await _database.DisposeAsync();
    }

    [SetUp]
    public void ResetClock() => _clock.Now = DateTimeOffset.UtcNow;

    private DedupCleanup Cleanup => _host.Services.GetRequiredService<DedupCleanup>();

    private Task<AppendOutcome> SendAsync(string tenant, params string[] messageIds) =>
        _host.Writer().AppendAsync(messageIds.Select(id => Event(tenant, "user", id, _clock.Now)).ToList(), CancellationToken.None);

    private Task<long> StoredCountAsync(string tenant) =>
        _database.ScalarAsync<long>("select count(*) from ingestion.mt_events where stream_id like @prefix", ("prefix", tenant + "/%"));

    private Task<long> DedupRowsAsync(string tenant) =>
        _database.ScalarAsync<long>("select count(*) from ingestion.ingestion_dedup where tenant_id = @tenant", ("tenant", tenant));

    [Test]
    public async Task Message_resent_within_the_window_is_a_duplicate()
    {
        var tenant = NewTenant();
        await SendAsync(tenant, "m-1");

        _clock.Now += Window - TimeSpan.FromMinutes(1);
        var resent = await SendAsync(tenant, "m-1");

        Assert.That(resent, Is.EqualTo(new AppendOutcome(0, 1)));
        Assert.That(await StoredCountAsync(tenant), Is.EqualTo(1));
    }

    private Task<long> SightingsAsync(string tenant) =>
        _database.ScalarAsync<long>("select count(*) from ingestion.ingestion_duplicates where tenant_id = @tenant", ("tenant", tenant));

    [Test]
    public async Task Each_duplicate_is_recorded_for_the_debugger_and_forgotten_after_a_day()
    {
        var tenant = NewTenant();
        await SendAsync(tenant, "m-1");
        // One across commits, one repeated within a single commit.
        Assert.That(await SendAsync(tenant, "m-1"), Is.EqualTo(new AppendOutcome(0, 1)));
        Assert.That(await SendAsync(tenant, "m-2", "m-2"), Is.EqualTo(new AppendOutcome(1, 1)));
        Assert.That(await SightingsAsync(tenant), Is.EqualTo(2));
        Assert.That(await _database.ScalarAsync<string>(
            "select string_agg(message_id, ',' order by id) from ingestion.ingestion_duplicates where tenant_id = @tenant", ("tenant", tenant)), Is.EqualTo("m-1,m-2"));

        _clock.Now += TimeSpan.FromHours(23);
        await Cleanup.RemoveExpiredAsync(CancellationToken.None);
        Assert.That(await SightingsAsync(tenant), Is.EqualTo(2), "kept for a day");

        _clock.Now += TimeSpan.FromHours(2);
        await Cleanup.RemoveExpiredAsync(CancellationToken.None);
        Assert.That(await SightingsAsync(tenant), Is.Zero);
        Assert.That(await DedupRowsAsync(tenant), Is.EqualTo(2), "the dedup ids themselves stay for their window");
    }

    [Test]
    public async Task Message_resent_after_the_window_is_stored_again()
    {
        var tenant = NewTenant();
        await SendAsync(tenant, "m-1");

        // No cleanup has run: the expired row is still in the table and must not block the message.
        _clock.Now += Window + TimeSpan.FromMinutes(1);
        var resent = await SendAsync(tenant, "m-1");

        Assert.That(resent, Is.EqualTo(new AppendOutcome(1, 0)));
        Assert.That(await StoredCountAsync(tenant), Is.EqualTo(2));
    }

    [Test]
    public async Task A_message_stored_again_after_the_window_starts_a_new_window()
    {
        var tenant = NewTenant();
        await SendAsync(tenant, "m-1");
        _clock.Now += Window + TimeSpan.FromMinutes(1);
        await SendAsync(tenant, "m-1");

        _clock.Now += TimeSpan.FromDays(1);
        var third = await SendAsync(tenant, "m-1");

        Assert.That(third, Is.EqualTo(new AppendOutcome(0, 1)));
        Assert.That(await StoredCountAsync(tenant), Is.EqualTo(2));
    }

    [Test]
    public async Task An_event_received_long_ago_and_stored_now_gets_a_full_window()
    {
        var tenant = NewTenant();
        // A replayed dead letter or a backfill carries the time it was first received.
        var replayed = Event(tenant, "user", "m-1", _clock.Now - TimeSpan.FromDays(40));
        await _host.Writer().AppendAsync([replayed], CancellationToken.None);
        await Cleanup.RemoveExpiredAsync(CancellationToken.None);

        _clock.Now += TimeSpan.FromDays(1);
        var resent = await _host.Writer().AppendAsync([replayed], CancellationToken.None);

        Assert.That(resent, Is.EqualTo(new AppendOutcome(0, 1)));
        Assert.That(await StoredCountAsync(tenant), Is.EqualTo(1));
    }

    [Test]
    public async Task Concurrent_resends_of_an_expired_message_store_it_once()
    {
        var tenant = NewTenant();
        await SendAsync(tenant, "m-1");
        _clock.Now += Window + TimeSpan.FromMinutes(1);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => SendAsync(tenant, "m-1")));

        Assert.That(outcomes.Sum(o => o.Stored), Is.EqualTo(1));
        Assert.That(outcomes.Sum(o => o.Duplicates), Is.EqualTo(19));
        Assert.That(await StoredCountAsync(tenant), Is.EqualTo(2));
    }

    [Test]
    public async Task Cleanup_removes_only_expired_ids()
    {
        var tenant = NewTenant();
        var start = _clock.Now;
        await SendAsync(tenant, "old-1", "old-2");
        _clock.Now = start + TimeSpan.FromDays(10);
        await SendAsync(tenant, "recent-1");

        _clock.Now = start + Window + TimeSpan.FromDays(1);
        await Cleanup.RemoveExpiredAsync(CancellationToken.None);

        var left = await _database.ScalarAsync<string[]>(
            "select array_agg(message_id order by message_id) from ingestion.ingestion_dedup where tenant_id = @tenant", ("tenant", tenant));
        Assert.That(left, Is.EqualTo(new[] { "recent-1" }));
        Assert.That(await StoredCountAsync(tenant), Is.EqualTo(3), "the cleanup touches dedup ids only, never events");
    }

    [Test]
    public async Task Cleanup_works_through_every_expired_id_in_batches()
    {
        var tenant = NewTenant();
        await SendAsync(tenant, Enumerable.Range(0, 50).Select(i => $"m-{i}").ToArray());

        _clock.Now += Window + TimeSpan.FromMinutes(1);
        var removed = await Cleanup.RemoveExpiredAsync(CancellationToken.None);

        Assert.That(removed, Is.GreaterThanOrEqualTo(50), "batches of 7 went on until no expired id was left");
        Assert.That(await DedupRowsAsync(tenant), Is.Zero);
    }

    [Test]
    public async Task Message_resent_after_its_id_was_cleaned_up_is_stored_again()
    {
        var tenant = NewTenant();
        await SendAsync(tenant, "m-1");
        _clock.Now += Window + TimeSpan.FromMinutes(1);
        await Cleanup.RemoveExpiredAsync(CancellationToken.None);

        var resent = await SendAsync(tenant, "m-1");

        Assert.That(resent, Is.EqualTo(new AppendOutcome(1, 0)));
        Assert.That(await DedupRowsAsync(tenant), Is.EqualTo(1));
    }

    [Test]
    public async Task Cleanups_on_several_replicas_at_once_remove_every_expired_id_without_errors()
    {
        var tenant = NewTenant();
        await SendAsync(tenant, Enumerable.Range(0, 300).Select(i => $"m-{i}").ToArray());
        _clock.Now += Window + TimeSpan.FromMinutes(1);
        var replicas = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => WriterHost.StartAsync(_database.ConnectionString,
            new Dictionary<string, string> { ["Ingestion:DedupCleanupBatchSize"] = "7", ["Ingestion:DedupCleanupInterval"] = "1.00:00:00" },
            _clock, withCleanup: true)));
        try
        {
            var cleanups = replicas.Select(r => r.Services.GetRequiredService<DedupCleanup>()).Append(Cleanup).ToList();
            // Their hosted services have started a round too; these rounds run alongside them.
            await Task.WhenAll(cleanups.Select(c => c.RemoveExpiredAsync(CancellationToken.None)));
            // A round that found only rows locked by another stops early; one more after the others finished sweeps up.
            await Cleanup.RemoveExpiredAsync(CancellationToken.None);

            Assert.That(await DedupRowsAsync(tenant), Is.Zero);
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.StopAsync();
                replica.Dispose();
            }
        }
    }

    [Test]
    public async Task The_cleanup_job_runs_when_the_api_starts()
    {
        var tenant = NewTenant();
        await SendAsync(tenant, "m-1", "m-2");
        _clock.Now += Window + TimeSpan.FromMinutes(1);

        using var replica = await WriterHost.StartAsync(_database.ConnectionString,
            new Dictionary<string, string> { ["Ingestion:DedupCleanupInterval"] = "1.00:00:00" }, _clock, withCleanup: true);
        try
        {
            await Eventually.ReturnsAsync(() => DedupRowsAsync(tenant), rows => rows == 0, TimeSpan.FromSeconds(30), "the expired ids to be removed");
        }
        finally
        {
            await replica.StopAsync();
        }
    }

    [Test]
    public async Task An_id_being_claimed_is_not_removed_under_the_claim()
    {
        var tenant = NewTenant();
        await SendAsync(tenant, "m-1");
        _clock.Now += Window + TimeSpan.FromMinutes(1);

        // Resend and cleanup race for the same expired row: either order must leave the message stored exactly once more.
        var resend = SendAsync(tenant, "m-1");
        var cleanup = Cleanup.RemoveExpiredAsync(CancellationToken.None);
        await Task.WhenAll(resend, cleanup);

        Assert.That((await resend).Stored, Is.EqualTo(1));
        Assert.That(await StoredCountAsync(tenant), Is.EqualTo(2));
        Assert.That(await DedupRowsAsync(tenant), Is.EqualTo(1), "the claim's fresh row survives the cleanup");
    }

    [Test]
    public void A_zero_dedup_window_fails_at_start()
    {
        var start = WriterHost.StartAsync(_database.ConnectionString, new Dictionary<string, string> { ["Ingestion:DedupWindow"] = "00:00:00" });

        Assert.That(async () => (await start).Dispose(), Throws.InstanceOf<Microsoft.Extensions.Options.OptionsValidationException>());
    }
}
