using Npgsql;
using NpgsqlTypes;
using Personalization.Contracts.EventLog;
using Weasel.Postgresql.Tables;

namespace Personalization.Ingestion.Storage;

/// <summary>One interval's stored events of a tenant, for the console's overview.</summary>
public sealed record EventCount(DateTimeOffset At, long Events);

/// <summary>
/// Events stored per tenant and minute, counted in the commit that stores them, so the console can chart the rate
/// without scanning the log. Each commit loop adds to a row of its own (its shard), so loops never wait on each other's
/// row lock; a read sums the shards. Kept for <see cref="Retention"/>.
/// </summary>
public static class EventCounts
{
    public const string Name = "ingestion_event_counts";
    public static readonly TimeSpan Retention = TimeSpan.FromDays(31);

    public static Table Definition(string schema)
    {
        var table = new Table($"{schema}.{Name}");
        table.AddColumn<string>("tenant_id").AsPrimaryKey();
        table.AddColumn<DateTimeOffset>("minute").AsPrimaryKey();
        table.AddColumn<int>("shard").AsPrimaryKey();
        table.AddColumn<long>("stored").NotNull();
        return table;
    }

    /// <summary>Adds <paramref name="stored"/> to their tenants' counts of this minute, inside the commit's transaction.</summary>
    public static async Task AddAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<EventAccepted> stored, int shard, DateTimeOffset now)
    {
        // In tenant order, so two commits that share a shard (another replica's loop, by chance) lock their rows alike and never deadlock.
        var byTenant = stored.GroupBy(e => e.TenantId).Select(g => (Tenant: g.Key, Count: (long)g.Count())).OrderBy(t => t.Tenant, StringComparer.Ordinal).ToList();
        if (byTenant.Count == 0) return;
        await using var command = new NpgsqlCommand($"""
            insert into {IngestionStore.Schema}.{Name} as c (tenant_id, minute, shard, stored)
            select tenant, date_trunc('minute', @now), @shard, n from unnest(@tenants, @counts) as t(tenant, n)
            on conflict (tenant_id, minute, shard) do update set stored = c.stored + excluded.stored
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<DateTime>("now", NpgsqlDbType.TimestampTz) { TypedValue = now.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter<int>("shard", NpgsqlDbType.Integer) { TypedValue = shard });
        command.Parameters.Add(new NpgsqlParameter<string[]>("tenants", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = byTenant.Select(t => t.Tenant).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<long[]>("counts", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = byTenant.Select(t => t.Count).ToArray() });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The tenant's stored events in each of <paramref name="buckets"/> intervals ending now.</summary>
    public static async Task<IReadOnlyList<EventCount>> ReadAsync(NpgsqlDataSource dataSource, string tenantId, DateTimeOffset now, TimeSpan span, int buckets, CancellationToken ct)
    {
        var width = span / buckets;
        var since = now - span;
        await using var command = dataSource.CreateCommand($"""
            select least(floor(extract(epoch from (minute - @since)) / @width)::int, @last), sum(stored)
            from {IngestionStore.Schema}.{Name} where tenant_id = @tenant and minute >= date_trunc('minute', @since)
            group by 1
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("tenant", NpgsqlDbType.Text) { TypedValue = tenantId });
        command.Parameters.Add(new NpgsqlParameter<DateTime>("since", NpgsqlDbType.TimestampTz) { TypedValue = since.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter<double>("width", NpgsqlDbType.Double) { TypedValue = width.TotalSeconds });
        command.Parameters.Add(new NpgsqlParameter<int>("last", NpgsqlDbType.Integer) { TypedValue = buckets - 1 });
        var counts = new long[buckets];
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            counts[Math.Max(0, reader.GetInt32(0))] += reader.GetInt64(1);
        return counts.Select((n, i) => new EventCount(since + width * (i + 1), n)).ToList();
    }

    /// <summary>Deletes counts older than <c>@cutoff</c>, at most <c>@batch</c> at a time.</summary>
    public static string DeleteExpiredSql(string schema) =>
        $"""
        delete from {schema}.{Name} where ctid in (select ctid from {schema}.{Name} where minute < @cutoff limit @batch for update skip locked)
        """;
}
