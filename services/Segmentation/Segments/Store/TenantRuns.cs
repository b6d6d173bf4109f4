using Npgsql;

namespace Personalization.Segmentation.Segments.Store;

/// <summary>Where a tenant's latest run (a catch-up, a discovery) stands, as the admin API shows it.</summary>
/// <param name="State">pending (asked for, not started), running, done or failed.</param>
public sealed record RunStatus(string State, DateTimeOffset RequestedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, long Done, long? Total, string? Error);

/// <summary>
/// One row per tenant saying a job must run over its people: a request marks the row, a worker claims it
/// (<c>skip locked</c>, under a lease it renews) and runs. A request during a run makes the tenant claimable again
/// once the run finishes, so the last request is always covered; a run whose worker died is claimed again when its
/// lease lapses.
/// </summary>
public abstract class TenantRuns(NpgsqlDataSource dataSource, SegmentationSchema schema, TimeProvider clock, string table)
{
    private readonly string _table = SegmentationSchema.Name + "." + table;
    private const string Columns = "requested_at, started_at, finished_at, done, total, error";

    public async Task RequestAsync(string tenantId, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand($"""
            insert into {_table} (tenant_id, requested_at) values ($1, $2)
            on conflict (tenant_id) do update set requested_at = excluded.requested_at
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(clock.GetUtcNow());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Asks again for every tenant whose last run finished more than <paramref name="age"/> ago and has no request waiting.</summary>
    public async Task RequestStaleAsync(TimeSpan age, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand(
            $"update {_table} set requested_at = $1 where finished_at < $2 and requested_at <= started_at");
        command.Parameters.AddWithValue(clock.GetUtcNow());
        command.Parameters.AddWithValue(clock.GetUtcNow() - age);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Claims the tenant that has waited longest, or returns null when none waits.</summary>
    public async Task<string?> ClaimAsync(TimeSpan lease, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        var now = clock.GetUtcNow();
        await using var command = dataSource.CreateCommand($"""
            update {_table} set started_at = $1, heartbeat_at = $1, finished_at = null, done = 0, total = null, error = null
            where tenant_id = (select tenant_id from {_table}
                where started_at is null
                   or (finished_at is not null and requested_at > started_at)
                   or (finished_at is null and heartbeat_at < $2)
                order by requested_at for update skip locked limit 1)
            returning tenant_id
            """);
        command.Parameters.AddWithValue(now);
        command.Parameters.AddWithValue(now - lease);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>Records progress and renews the lease.</summary>
    public Task ProgressAsync(string tenantId, long done, long total, CancellationToken cancellationToken) =>
        UpdateAsync("done = $2, total = $3, heartbeat_at = $4", tenantId, cancellationToken, done, total, clock.GetUtcNow());

    public Task FinishAsync(string tenantId, string? error, CancellationToken cancellationToken) =>
        UpdateAsync("finished_at = $2, error = $3", tenantId, cancellationToken, clock.GetUtcNow(), (object?)error ?? DBNull.Value);

    public async Task<RunStatus?> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand($"select {Columns} from {_table} where tenant_id = $1");
        command.Parameters.AddWithValue(tenantId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        var requested = reader.GetFieldValue<DateTimeOffset>(0);
        DateTimeOffset? started = reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1);
        DateTimeOffset? finished = reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2);
        var error = reader.IsDBNull(5) ? null : reader.GetString(5);
        var state = started is null || (finished is not null && requested > started) ? "pending"
            : finished is null ? "running"
            : error is null ? "done" : "failed";
        return new RunStatus(state, requested, started, finished, reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetInt64(4), error);
    }

    private async Task UpdateAsync(string set, string tenantId, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = dataSource.CreateCommand($"update {_table} set {set} where tenant_id = $1");
        command.Parameters.AddWithValue(tenantId);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>Tenants whose people must be brought up to their segments after a definition was saved or deleted.</summary>
public sealed class CatchUpRuns(NpgsqlDataSource dataSource, SegmentationSchema schema, TimeProvider clock)
    : TenantRuns(dataSource, schema, clock, "catch_up");

/// <summary>Tenants whose discovered segments (RFM grid, clusterings) must be computed again, on demand or on schedule.</summary>
public sealed class DiscoveryRuns(NpgsqlDataSource dataSource, SegmentationSchema schema, TimeProvider clock)
    : TenantRuns(dataSource, schema, clock, "discovery_requests");
