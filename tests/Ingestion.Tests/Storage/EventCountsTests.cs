using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Personalization.Ingestion.Storage;
using Personalization.TestSupport;
using static Personalization.Ingestion.Tests.Storage.WriterHost;

namespace Personalization.Ingestion.Tests.Storage;

/// <summary>Stored events counted per tenant and minute, off the commit's path, against the real PostgreSQL.</summary>
public class EventCountsTests
{
    private TestDatabase _database = null!;
    private IHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync("ingestion_counts");
        _host = await WriterHost.StartAsync(_database.ConnectionString);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await _database.DisposeAsync();
    }

    [Test]
    public async Task Stored_events_are_counted_once_per_tenant_and_duplicates_not_at_all()
    {
        var (tenant, other) = (NewTenant(), NewTenant());
        await _host.Writer().AppendAsync([.. Enumerable.Range(0, 7).Select(n => Event(tenant, "u", $"m-{n}")), Event(other, "u", "m-0")], CancellationToken.None);
        await _host.Writer().AppendAsync([Event(tenant, "u", "m-1"), Event(tenant, "u", "m-7")], CancellationToken.None);
        var flusher = _host.Services.GetRequiredService<EventCountFlusher>();
        await flusher.FlushAsync(CancellationToken.None);
        await flusher.FlushAsync(CancellationToken.None);

        var database = _host.Services.GetRequiredService<NpgsqlDataSource>();
        var counts = await EventCounts.ReadAsync(database, tenant, DateTimeOffset.UtcNow.AddMinutes(1), TimeSpan.FromHours(1), 60, CancellationToken.None);
        Assert.That(counts, Has.Count.EqualTo(60));
        Assert.That(counts.Sum(c => c.Events), Is.EqualTo(8), "seven, then one new and one duplicate; a second flush adds nothing");
        Assert.That((await EventCounts.ReadAsync(database, other, DateTimeOffset.UtcNow.AddMinutes(1), TimeSpan.FromHours(1), 60, CancellationToken.None)).Sum(c => c.Events),
            Is.EqualTo(1));
    }
}
