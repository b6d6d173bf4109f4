using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Personalization.Recommendation.Models;

namespace Personalization.Recommendation.Training;

/// <summary>Where a training job stands: queued, running (with its latest step), succeeded (with its version) or failed (with why).</summary>
public sealed record TrainingJob(
    Guid Id,
    string TenantId,
    string State,
    DateTimeOffset RequestedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Progress,
    int? Version,
    bool? Activated,
    string? Error,
    IReadOnlyList<string>? PassedOver)
{
    public const string Queued = "queued", Running = "running", Succeeded = "succeeded", Failed = "failed";
}

/// <summary>
/// Training jobs in PostgreSQL. Any replica may queue one; a worker claims the oldest queued job with
/// <c>FOR UPDATE SKIP LOCKED</c>, so each job is trained by exactly one replica. A running job holds a lease that its
/// worker renews (<see cref="HeartbeatAsync"/>); a job whose worker died is claimed again when the lease lapses, and
/// failed after <see cref="MaxAttempts"/> claims, so a job that kills its worker cannot loop.
/// </summary>
public sealed class TrainingJobs(NpgsqlDataSource dataSource, RecommendationSchema schema, TimeProvider clock)
{
    private const string Table = RecommendationSchema.Name + ".training_jobs";
    private const string Columns = "id, tenant_id, state, requested_at, started_at, finished_at, progress, version, activated, error, passed_over";
    public const int MaxAttempts = 3;

    public async Task<TrainingJob> QueueAsync(string tenantId, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand(
            $"insert into {Table} (id, tenant_id, state, requested_at) values ($1, $2, '{TrainingJob.Queued}', $3) returning {Columns}");
        command.Parameters.AddWithValue(Guid.NewGuid());
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(clock.GetUtcNow());
        return (await ReadAsync(command, cancellationToken))!;
    }

    public async Task<TrainingJob?> GetAsync(string tenantId, Guid id, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand($"select {Columns} from {Table} where id = $1 and tenant_id = $2");
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(tenantId);
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>
    /// Queues a job for the tenant unless one is queued or running, or one was asked for after <paramref name="since"/>;
    /// replicas doing this at once queue one job between them. The job's id when it queued one.
    /// </summary>
    public async Task<Guid?> QueueUnlessAskedSinceAsync(string tenantId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var locking = new NpgsqlCommand("select pg_advisory_xact_lock(hashtext('recommendation.schedule'), hashtext($1))", connection, transaction))
        {
            locking.Parameters.AddWithValue(tenantId);
            await locking.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var insert = new NpgsqlCommand($"""
            insert into {Table} (id, tenant_id, state, requested_at) select $1, $2, '{TrainingJob.Queued}', $3
            where not exists (select 1 from {Table} where tenant_id = $2
                and (state in ('{TrainingJob.Queued}', '{TrainingJob.Running}') or requested_at > $4))
            """, connection, transaction);
        var id = Guid.NewGuid();
        insert.Parameters.AddWithValue(id);
        insert.Parameters.AddWithValue(tenantId);
        insert.Parameters.AddWithValue(now);
        insert.Parameters.AddWithValue(since);
        var queued = await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
        await transaction.CommitAsync(cancellationToken);
        return queued ? id : null;
    }

    /// <summary>
    /// Marks the oldest claimable job running under a lease of <paramref name="lease"/> and returns it, or null when
    /// none waits: a queued job, or a running one whose worker stopped renewing its lease. A job claimed
    /// <see cref="MaxAttempts"/> times without finishing fails instead.
    /// </summary>
    public async Task<TrainingJob?> ClaimNextAsync(TimeSpan lease, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        var now = clock.GetUtcNow();
        await using (var abandon = dataSource.CreateCommand($"""
            update {Table} set state = '{TrainingJob.Failed}', finished_at = $1,
                error = 'abandoned: its worker stopped {MaxAttempts} times before it finished (a crash, or out of memory)'
            where state = '{TrainingJob.Running}' and heartbeat_at < $2 and attempts >= {MaxAttempts}
            """))
        {
            abandon.Parameters.AddWithValue(now);
            abandon.Parameters.AddWithValue(now - lease);
            await abandon.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var command = dataSource.CreateCommand($"""
            update {Table} set state = '{TrainingJob.Running}', started_at = $1, heartbeat_at = $1, attempts = attempts + 1,
                progress = case when attempts = 0 then 'started' else 'started again: its previous worker stopped' end
            where id = (select id from {Table}
                where state = '{TrainingJob.Queued}' or (state = '{TrainingJob.Running}' and heartbeat_at < $2)
                order by requested_at for update skip locked limit 1)
            returning {Columns}
            """);
        command.Parameters.AddWithValue(now);
        command.Parameters.AddWithValue(now - lease);
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>Renews a running job's lease.</summary>
    public Task HeartbeatAsync(Guid id, CancellationToken cancellationToken) =>
        UpdateAsync($"heartbeat_at = $2", id, cancellationToken, clock.GetUtcNow());

    public Task ReportAsync(Guid id, string progress, CancellationToken cancellationToken) =>
        UpdateAsync("progress = $2", id, cancellationToken, progress);

    public Task SucceedAsync(Guid id, int version, bool activated, IReadOnlyList<string> passedOver, CancellationToken cancellationToken) =>
        UpdateAsync($"state = '{TrainingJob.Succeeded}', finished_at = $2, version = $3, activated = $4, passed_over = $5, progress = 'done'",
            id, cancellationToken, clock.GetUtcNow(), version, activated, new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = JsonSerializer.Serialize(passedOver) });

    public Task FailAsync(Guid id, string error, CancellationToken cancellationToken) =>
        UpdateAsync($"state = '{TrainingJob.Failed}', finished_at = $2, error = $3", id, cancellationToken, clock.GetUtcNow(), error);

    private async Task UpdateAsync(string set, Guid id, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = dataSource.CreateCommand($"update {Table} set {set} where id = $1");
        command.Parameters.AddWithValue(id);
        foreach (var value in values)
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<TrainingJob?> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        T? Nullable<T>(int n) => reader.IsDBNull(n) ? default : reader.GetFieldValue<T>(n);
        return new TrainingJob(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
            Nullable<DateTimeOffset?>(4), Nullable<DateTimeOffset?>(5), Nullable<string>(6), Nullable<int?>(7), Nullable<bool?>(8), Nullable<string>(9),
            reader.IsDBNull(10) ? null : JsonSerializer.Deserialize<string[]>(reader.GetString(10)));
    }
}
