using Npgsql;

namespace Personalization.Triggers.Broadcasts;

/// <summary>A broadcast run under way: where its walk through the segment's members stands.</summary>
public sealed record BroadcastRun(string TenantId, string JourneyId, DateTimeOffset RunAt, string? Cursor);

/// <summary>
/// The broadcast runs, one per (tenant, journey, time): a run is taken under a lease and its cursor saved after
/// each page, so a replica that dies mid-run leaves it for another to go on from that page. Entering a member twice
/// on one run enters them once (the run's time names the entry).
/// </summary>
public sealed class BroadcastRuns(NpgsqlDataSource dataSource, TriggersSchema schema)
{
    private const string Table = TriggersSchema.Name + ".broadcast_runs";
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    /// <summary>Takes the run (making it on first sight) unless it is done or another replica holds it.</summary>
    public async Task<BroadcastRun?> TakeAsync(string tenantId, string journeyId, DateTimeOffset runAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand($"""
            insert into {Table} (tenant_id, journey_id, run_at, state, lease_until) values ($1, $2, $3, 'Running', $5)
            on conflict (tenant_id, journey_id, run_at) do update set lease_until = $5
                where {Table}.state = 'Running' and ({Table}.lease_until is null or {Table}.lease_until < $4)
            returning cursor
            """);
        foreach (var value in new object[] { tenantId, journeyId, runAt, now, now + Lease }) command.Parameters.AddWithValue(value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new BroadcastRun(tenantId, journeyId, runAt, reader.IsDBNull(0) ? null : reader.GetString(0)) : null;
    }

    /// <summary>Saves where the run stands and renews its lease; a null cursor ends the run.</summary>
    public async Task AdvanceAsync(BroadcastRun run, string? cursor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            update {Table} set cursor = $4::text, state = case when $4::text is null then 'Done' else 'Running' end, lease_until = $5
            where tenant_id = $1 and journey_id = $2 and run_at = $3
            """);
        foreach (var value in new object?[] { run.TenantId, run.JourneyId, run.RunAt, (object?)cursor ?? DBNull.Value, now + Lease })
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
