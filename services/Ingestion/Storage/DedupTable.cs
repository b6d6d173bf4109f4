using Npgsql;
using NpgsqlTypes;
using Personalization.Contracts.EventLog;
using Weasel.Postgresql.Tables;

namespace Personalization.Ingestion.Storage;

/// <summary>
/// Durable record of the (tenant, messageId) pairs stored within the dedup window. Claiming ids with INSERT ... ON
/// CONFLICT in the same transaction as the append makes deduplication exact across concurrent requests and nodes.
/// </summary>
public static class DedupTable
{
    public const string Name = "ingestion_dedup";

    public static Table Definition(string schema)
    {
        var table = new Table($"{schema}.{Name}");
        table.AddColumn<string>("tenant_id").AsPrimaryKey();
        table.AddColumn<string>("message_id").AsPrimaryKey();
        table.AddColumn<DateTimeOffset>("received_at").NotNull();
        // The cleanup finds expired ids by age. Ids are claimed in time order, so a BRIN index (a summary per block
        // range) serves it at almost no cost per claim, where a btree cost every claim an index insert.
        table.Indexes.Add(new IndexDefinition($"ix_{Name}_received_at") { Columns = ["received_at"], Method = IndexMethod.brin });
        return table;
    }

    private static readonly string Claim = ClaimSql(IngestionStore.Schema);

    /// <summary>
    /// Claims the (tenant, messageId) of <paramref name="events"/> inside the commit's transaction, and returns those
    /// that are new and so may be stored. Ids stored before <paramref name="now"/> minus <paramref name="window"/> count as new.
    /// </summary>
    public static async Task<HashSet<(string Tenant, string Message)>> ClaimAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<EventAccepted> events, DateTimeOffset now, TimeSpan window)
    {
        // Sorted, so that concurrent claims (other loops, other nodes) take conflicting ids in the same order and can
        // only wait on each other, never deadlock.
        var order = events.Select(e => (e.TenantId, e.MessageId)).ToList();
        order.Sort(static (a, b) =>
        {
            var byTenant = string.CompareOrdinal(a.TenantId, b.TenantId);
            return byTenant != 0 ? byTenant : string.CompareOrdinal(a.MessageId, b.MessageId);
        });
        var tenants = new string[order.Count];
        var messages = new string[order.Count];
        for (var i = 0; i < order.Count; i++)
            (tenants[i], messages[i]) = order[i];

        await using var command = new NpgsqlCommand(Claim, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]>("tenants", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = tenants });
        command.Parameters.Add(new NpgsqlParameter<string[]>("messages", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = messages });
        command.Parameters.Add(new NpgsqlParameter<DateTime>("now", NpgsqlDbType.TimestampTz) { TypedValue = now.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter<DateTime>("cutoff", NpgsqlDbType.TimestampTz) { TypedValue = (now - window).UtcDateTime });

        var claimed = new HashSet<(string, string)>(order.Count);
        await using var rows = await command.ExecuteReaderAsync();
        while (await rows.ReadAsync())
            claimed.Add((rows.GetString(0), rows.GetString(1)));
        return claimed;
    }

    /// <summary>
    /// The claim: returns the ids that are new: never seen, or last stored before <c>@cutoff</c> (expired, even if the
    /// cleanup has not removed the row yet; the claim then restarts its window). A conflicting row that a concurrent
    /// transaction is claiming makes this one wait for it, so exactly one of them gets the id.
    /// The window starts when the id is stored (<c>@now</c>), not when its event says it was received: a replayed or
    /// backfilled event from long ago still gets a full window.
    /// Callers pass ids in one global order (sorted), so two commits never wait on each other in a cycle.
    /// </summary>
    private static string ClaimSql(string schema) =>
        $"""
        insert into {schema}.{Name} as seen (tenant_id, message_id, received_at)
        select tenant, message, @now from unnest(@tenants, @messages) as claim(tenant, message)
        on conflict (tenant_id, message_id) do update set received_at = excluded.received_at
            where seen.received_at < @cutoff
        returning tenant_id, message_id
        """;

    /// <summary>
    /// Deletes at most <c>@batch</c> ids older than <c>@cutoff</c> in one short statement. SKIP LOCKED
    /// leaves rows that a claim (or another replica's cleanup) holds, so nobody waits on anybody.
    /// </summary>
    public static string DeleteExpiredSql(string schema) =>
        $"""
        delete from {schema}.{Name} as seen
        using (
            select tenant_id, message_id from {schema}.{Name}
            where received_at < @cutoff
            limit @batch
            for update skip locked
        ) as expired
        where seen.tenant_id = expired.tenant_id and seen.message_id = expired.message_id
        """;
}
