using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Personalization.Ingestion.Storage;
using static Personalization.Ingestion.Tests.Storage.WriterHost;

namespace Personalization.Ingestion.Tests.Storage;

/// <summary>Stored events counted per tenant and minute, off the commit's path, against the real PostgreSQL.</summary>
public class EventCountsTests() : WriterDatabaseTests("ingestion_counts")
{
    [Test]
    public async Task Stored_events_are_counted_once_per_tenant_and_duplicates_not_at_all()
    {
        var (tenant, other) = (NewTenant(), NewTenant());
        await Host.Writer().AppendAsync([.. Enumerable.Range(0, 7).Select(n => Event(tenant, "u", $"m-{n}")), Event(other, "u", "m-0")], CancellationToken.None);
        await Host.Writer().AppendAsync([Event(tenant, "u", "m-1"), Event(tenant, "u", "m-7")], CancellationToken.None);
        var flusher = Host.Services.GetRequiredService<EventCountFlusher>();
        await flusher.FlushAsync(CancellationToken.None);
        await flusher.FlushAsync(CancellationToken.None);

        var database = Host.Services.GetRequiredService<NpgsqlDataSource>();
        var counts = await EventCounts.ReadAsync(database, tenant, DateTimeOffset.UtcNow.AddMinutes(1), TimeSpan.FromHours(1), 60, CancellationToken.None);
        Assert.That(counts, Has.Count.EqualTo(60));
        Assert.That(counts.Sum(c => c.Events), Is.EqualTo(8), "seven, then one new and one duplicate; a second flush adds nothing");
        Assert.That((await EventCounts.ReadAsync(database, other, DateTimeOffset.UtcNow.AddMinutes(1), TimeSpan.FromHours(1), 60, CancellationToken.None)).Sum(c => c.Events),
            Is.EqualTo(1));
    }
}
