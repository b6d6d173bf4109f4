using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Npgsql;
using Personalization.Ingestion.Storage;

namespace Personalization.Ingestion.Relay;

/// <summary>
/// Reads from the event log, every <see cref="RelayOptions.LagSampleInterval"/>, how far the relay's checkpoint is
/// behind the newest stored event, and since when it has stood still while events wait. The lag is the metric
/// <c>ingestion.relay.lag</c> (sequence numbers, so a rolled-back append's unused number counts until the next page).
/// </summary>
public sealed class RelayLag : BackgroundService
{
    public const string MeterName = "Personalization.Ingestion.Relay";

    private static readonly string Query = $"""
        select (select coalesce(max(seq_id), 0) from {IngestionStore.Schema}.mt_events),
               (select coalesce(max(last_seq_id), 0) from {IngestionStore.Schema}.mt_event_progression where name = @name)
        """;

    private readonly NpgsqlDataSource _database;
    private readonly RelayOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RelayLag> _logger;
    private readonly DateTimeOffset _startedAt;
    private volatile Sample? _last;

    public RelayLag(NpgsqlDataSource database, IOptions<RelayOptions> options, TimeProvider time, IMeterFactory meters, ILogger<RelayLag> logger)
    {
        (_database, _options, _time, _logger) = (database, options.Value, time, logger);
        _startedAt = time.GetUtcNow();
        meters.Create(MeterName).CreateObservableGauge("ingestion.relay.lag", () => _last?.Lag ?? 0, "{event}",
            "Events stored in the log but not yet published to RabbitMQ.");
    }

    /// <param name="Stored">The newest sequence number in the log.</param>
    /// <param name="Published">The relay's checkpoint: every event up to it is confirmed by the broker.</param>
    /// <param name="At">When it was read.</param>
    /// <param name="StillSince">Since when the checkpoint has not moved while events waited (or the time of reading, if none wait).</param>
    public sealed record Sample(long Stored, long Published, DateTimeOffset At, DateTimeOffset StillSince)
    {
        public long Lag => Math.Max(0, Stored - Published);

        /// <summary>The sample read at <paramref name="now"/>, after <paramref name="last"/>.</summary>
        public static Sample After(Sample? last, long stored, long published, DateTimeOffset now)
        {
            var stoodStill = stored > published && last is not null && published == last.Published;
            return new Sample(stored, published, now, stoodStill ? last!.StillSince : now);
        }
    }

    public Sample? Last => _last;

    /// <summary>When the lag was first read, or the process started if it never was.</summary>
    public DateTimeOffset KnownSince => _last?.At ?? _startedAt;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.LagSampleInterval, _time);
        do
        {
            try
            {
                var (stored, published) = await ReadAsync(_database, stoppingToken);
                _last = Sample.After(_last, stored, published, _time.GetUtcNow());
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                // PostgreSQL's own readiness check reports the outage; the last sample ages and readiness says so.
                _logger.LogDebug(ex, "Could not read the relay's lag");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>The newest sequence number in the log, and the relay's checkpoint (every event up to it published).</summary>
    public static async Task<(long Stored, long Published)> ReadAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(Query);
        command.Parameters.AddWithValue("name", RabbitMqRelay.ProgressionName);
        command.CommandTimeout = 10;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
