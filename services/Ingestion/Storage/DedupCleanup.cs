using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Personalization.Ingestion.Debugger;

namespace Personalization.Ingestion.Storage;

/// <summary>
/// Removes message ids older than the dedup window, every <see cref="DedupOptions.DedupCleanupInterval"/>, in
/// batches of <see cref="DedupOptions.DedupCleanupBatchSize"/>: each batch is its own short statement, so the
/// cleanup never holds many locks or a long transaction. Every API replica may run it: a batch skips rows that
/// another replica's batch or a claim has locked. Expired rows not removed yet do no harm, since the claim treats
/// them as new; the cleanup only keeps the table (and its index) from growing without end.
/// </summary>
public sealed class DedupCleanup(
    NpgsqlDataSource dataSource,
    IOptions<DedupOptions> options,
    TimeProvider clock,
    ILogger<DedupCleanup> logger) : BackgroundService
{
    private readonly string _deleteSql = DedupTable.DeleteExpiredSql(IngestionStore.Schema);
    private readonly string _deleteSightingsSql = DuplicateSightings.DeleteExpiredSql(IngestionStore.Schema);
    private readonly string _deleteCountsSql = EventCounts.DeleteExpiredSql(IngestionStore.Schema);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.DedupCleanupInterval, clock);
        do
        {
            try
            {
                var removed = await RemoveExpiredAsync(stoppingToken);
                if (removed > 0)
                    logger.LogInformation("Removed {Count} message ids older than the dedup window", removed);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The next round tries again; until then expired rows only take space.
                logger.LogWarning(ex, "Dedup cleanup failed; it runs again in {Interval}", options.Value.DedupCleanupInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>
    /// Deletes every id older than the window, and the duplicate sightings and event counts older than they are kept,
    /// batch by batch; returns how many ids it removed.
    /// </summary>
    public async Task<long> RemoveExpiredAsync(CancellationToken cancellationToken)
    {
        // One cutoff for the whole round, so a busy table cannot keep the loop going for ever.
        var now = clock.GetUtcNow();
        await DeleteInBatchesAsync(_deleteSightingsSql, now - DuplicateSightings.Retention, cancellationToken);
        await DeleteInBatchesAsync(_deleteCountsSql, now - EventCounts.Retention, cancellationToken);
        return await DeleteInBatchesAsync(_deleteSql, now - options.Value.DedupWindow, cancellationToken);
    }

    private async Task<long> DeleteInBatchesAsync(string sql, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var batch = options.Value.DedupCleanupBatchSize;
        long removed = 0;
        while (true)
        {
            await using var command = dataSource.CreateCommand(sql);
            command.Parameters.Add(new NpgsqlParameter<DateTime>("cutoff", NpgsqlDbType.TimestampTz) { TypedValue = cutoff.UtcDateTime });
            command.Parameters.Add(new NpgsqlParameter<int>("batch", NpgsqlDbType.Integer) { TypedValue = batch });
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            removed += deleted;
            // A short batch means nothing expired is left, or what is left is locked by someone who will deal with it.
            if (deleted < batch) return removed;
        }
    }
}

public static class DedupCleanupRegistration
{
    /// <summary>The dedup cleanup job, for the API role (needs the settings and data source that AddGroupCommitWriter and AddMartenStore register).</summary>
    public static IHostApplicationBuilder AddDedupCleanup(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DedupCleanup>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DedupCleanup>());
        return builder;
    }
}
