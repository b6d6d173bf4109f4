using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using MassTransit;
using Npgsql;
using Personalization.Contracts;
using Personalization.Contracts.V1;
using Personalization.Segmentation.Profiles;
using Personalization.ServiceDefaults;

namespace Personalization.Segmentation.Segments.Store;

/// <summary>
/// Publishes recorded segment transitions to RabbitMQ, oldest first, and marks them published: the outbox relay of
/// <see cref="MembershipLedger"/>. Woken by its NOTIFY (a burst of them coalesced into one wake, and a moment allowed
/// for the burst to land, so busy turns are published in batches rather than one query each), and every second
/// regardless. Replicas share the work
/// (<c>skip locked</c>); a crash between publishing and marking republishes with the same message id, which
/// consumers drop. Each is published in a span continuing the trace of the turn that recorded it.
/// </summary>
public sealed class TransitionPublisher(
    NpgsqlDataSource dataSource, SegmentationSchema schema, IBus bus, TimeProvider clock, IMeterFactory meters, ILogger<TransitionPublisher> logger)
    : BackgroundService
{
    private const int Batch = 500;
    private static readonly ActivitySource Tracing = new(ProfileFeedMetrics.MeterName + ".Segments");
    private readonly Counter<long> _published = meters.Create(ProfileFeedMetrics.MeterName).CreateCounter<long>(
        "segmentation.segments.transitions", "{transition}", "Segment entries and exits published (direction: entered or exited).");
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(50);
    private readonly SemaphoreSlim _wake = new(0, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _ = ListenAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await PublishBatchAsync(stoppingToken) == Batch) continue;
            }
            catch (Exception e) when (e is NpgsqlException or MassTransitException or TimeoutException)
            {
                logger.LogWarning(e, "Publishing segment transitions failed; trying again shortly");
            }
            if (await _wake.WaitAsync(Poll, stoppingToken).ContinueWith(woken => woken is { IsCompletedSuccessfully: true, Result: true }, CancellationToken.None))
                await Task.Delay(Gather, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
        }
    }

    private void Wake()
    {
        if (_wake.CurrentCount > 0) return;
        try { _wake.Release(); }
        catch (SemaphoreFullException) { } // woken by another notification meanwhile
    }

    /// <summary>Publishes up to one batch; returns how many.</summary>
    public async Task<int> PublishBatchAsync(CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var due = new List<(long Id, object Message, Guid MessageId, string? TraceParent)>();
        await using (var select = new NpgsqlCommand($"""
            select id, tenant_id, segment_id, user_key, number, version, entered, at, caused_by, trace_parent
            from {SegmentationSchema.Name}.transitions where published_at is null order by id limit {Batch} for update skip locked
            """, connection))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
            {
                var (tenant, segment, userKey, number) = (reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4));
                var streamKey = new StreamKey(tenant, userKey).ToString();
                var key = $"{tenant}/{segment}/{userKey}/{number}";
                var userId = userKey.StartsWith(StreamKey.UserPrefix, StringComparison.Ordinal) ? userKey[StreamKey.UserPrefix.Length..] : null;
                var (version, entered, when) = (reader.GetInt32(5), reader.GetBoolean(6), reader.GetFieldValue<DateTimeOffset>(7));
                var cause = reader.IsDBNull(8) ? (Guid?)null : reader.GetGuid(8);
                object message = entered
                    ? new SegmentEntered(tenant, segment, version, streamKey, userId, when, cause, number, key)
                    : new SegmentExited(tenant, segment, version, streamKey, userId, when, cause, number, key);
                due.Add((reader.GetInt64(0), message, MessageIdFor(key), reader.IsDBNull(9) ? null : reader.GetString(9)));
            }
        foreach (var (_, message, messageId, traceParent) in due)
        {
            using var span = Tracing.StartContinuing($"publish {message.GetType().Name}", ActivityKind.Producer, [traceParent]);
            await bus.Publish(message, message.GetType(), context => context.MessageId = messageId, cancellationToken);
        }
        if (due.Count > 0)
        {
            await using var mark = new NpgsqlCommand(
                $"update {SegmentationSchema.Name}.transitions set published_at = $1 where id = any($2)", connection);
            mark.Parameters.AddWithValue(clock.GetUtcNow());
            mark.Parameters.AddWithValue(due.Select(d => d.Id).ToArray());
            await mark.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        foreach (var (_, message, _, _) in due)
            _published.Add(1, new KeyValuePair<string, object?>("direction", message is SegmentEntered ? "entered" : "exited"));
        return due.Count;
    }

    /// <summary>The message id of a transition: the same change always gets the same id.</summary>
    public static Guid MessageIdFor(string transitionKey) => new(SHA256.HashData(Encoding.UTF8.GetBytes(transitionKey)).AsSpan(0, 16));

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => Wake();
                await using (var listen = new NpgsqlCommand($"listen {MembershipLedger.NotifyChannel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                while (!stoppingToken.IsCancellationRequested) await connection.WaitAsync(stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or IOException)
            {
                // The poll carries on meanwhile; listen again once PostgreSQL is back.
                await Task.Delay(Poll, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
            }
            catch (OperationCanceledException) { return; }
        }
    }
}
