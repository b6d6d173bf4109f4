using System.Buffers;
using System.Threading.Channels;
using Personalization.Contracts.EventLog;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Personalization.Ingestion.Storage;

/// <summary>Counts for one request once its events are durable.</summary>
public sealed record AppendOutcome(int Stored, int Duplicates);

/// <summary>Thrown when so many requests wait for a commit that a new one should be retried later.</summary>
public sealed class IngestionOverloadedException() : Exception("Too many requests are waiting to be stored.");

/// <summary>
/// Thrown when PostgreSQL refuses a request's own data (a data exception or a size limit), committed on its own:
/// resending it cannot help, so it is the publisher's error, not an outage.
/// </summary>
public sealed class EventsRefusedException(PostgresException refusal)
    : Exception($"The event store refused this request's data: {refusal.MessageText}", refusal);

/// <summary>
/// Group commit: requests queue their events, and a commit loop writes whatever has queued in a single transaction
/// (dedup claim + stream appends), then completes every waiting request. One SaveChanges per request caps
/// throughput near 1.4k events/s on this hardware; batching across requests does not.
/// <para>
/// <see cref="IngestionOptions.CommitLoops"/> loops commit side by side, each on its own connection: one PostgreSQL
/// backend works on one core. Each loop owns the streams whose id hashes to it, and a request's events are split
/// among the loops by stream, so no two loops ever append to the same stream (no lock waits between them) and a
/// stream's events keep the request's order. A request is answered once every loop holding a share has committed.
/// Dedup ids are claimed in the database, so they are exact across loops, requests and nodes alike.
/// </para>
/// </summary>
public sealed class GroupCommitWriter(
    IDocumentStore store,
    NpgsqlDataSource dataSource,
    IOptions<IngestionOptions> options,
    TimeProvider clock,
    ILogger<GroupCommitWriter> logger) : BackgroundService
{
    /// <summary>One request: answered when its last share is committed.</summary>
    private sealed class PendingRequest(int events, int shares)
    {
        public readonly TaskCompletionSource<AppendOutcome> Completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly int Events = events;
        public int SharesLeft = shares;
        public int Stored;
    }

    /// <summary>The events of one request that belong to one loop's streams, in request order.</summary>
    private sealed record Share(PendingRequest Request, List<StreamEvent> Events);

    private const int MaxAttempts = 3;

    private readonly IngestionOptions _options = options.Value;
    private readonly Channel<Share>[] _loops = Enumerable.Range(0, options.Value.CommitLoops)
        .Select(_ => Channel.CreateUnbounded<Share>(new UnboundedChannelOptions { SingleReader = true }))
        .ToArray();
    private readonly string _claimSql = DedupTable.ClaimSql(IngestionStore.Schema);
    private readonly SetBasedAppend? _setBased = options.Value.SetBasedAppend ? new SetBasedAppend(store) : null;
    private int _pendingRequests;

    /// <summary>Completes once the events are committed; duplicates of messages stored within the dedup window are skipped.</summary>
    public Task<AppendOutcome> AppendAsync(IReadOnlyList<EventAccepted> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
            return Task.FromResult(new AppendOutcome(0, 0));
        if (Interlocked.Increment(ref _pendingRequests) > _options.MaxPendingRequests)
        {
            Interlocked.Decrement(ref _pendingRequests);
            throw new IngestionOverloadedException();
        }

        var shares = SplitByLoop(events);
        var request = new PendingRequest(events.Count, shares.Count(s => s is not null));
        for (var loop = 0; loop < shares.Length; loop++)
        {
            if (shares[loop] is not { } share) continue;
            var queued = new Share(request, share);
            if (!_loops[loop].Writer.TryWrite(queued))
                Fail(queued, new IngestionOverloadedException()); // the writer has stopped
        }
        // A caller that goes away does not cancel the commit: a retry of the same batch is then deduplicated.
        return request.Completion.Task.WaitAsync(cancellationToken);
    }

    private List<StreamEvent>?[] SplitByLoop(IReadOnlyList<EventAccepted> events)
    {
        var shares = new List<StreamEvent>?[_loops.Length];
        foreach (var e in events)
        {
            var streamId = e.StreamKey.ToString();
            // string hashes are randomised per process, which is fine: ownership only has to hold within one writer.
            var loop = _loops.Length == 1 ? 0 : (int)((uint)streamId.GetHashCode() % (uint)_loops.Length);
            (shares[loop] ??= new List<StreamEvent>(events.Count / _loops.Length + 1)).Add(new StreamEvent(e, streamId));
        }
        return shares;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(_loops.Select(loop => Task.Run(() => RunLoopAsync(loop.Reader, stoppingToken), CancellationToken.None)));
        }
        finally
        {
            foreach (var loop in _loops)
            {
                loop.Writer.TryComplete();
                while (loop.Reader.TryRead(out var abandoned))
                    Fail(abandoned, new IngestionOverloadedException());
            }
        }
    }

    private async Task RunLoopAsync(ChannelReader<Share> reader, CancellationToken stoppingToken)
    {
        var group = new List<Share>();
        // The loop's own buffer for the events' JSON, reused by every commit so big commits do not churn the large-object heap.
        var scratch = new ArrayBufferWriter<byte>(256 * 1024);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                group.Clear();
                var count = 0;
                while (count < _options.MaxEventsPerCommit && reader.TryRead(out var share))
                {
                    group.Add(share);
                    count += share.Events.Count;
                }
                await CommitAsync(group, scratch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: whatever is still queued is failed by ExecuteAsync.
        }
    }

    private async Task CommitAsync(List<Share> group, ArrayBufferWriter<byte> scratch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var stored = await WriteAsync(group, scratch);
                for (var i = 0; i < group.Count; i++)
                    Complete(group[i], stored[i]);
                return;
            }
            catch (PostgresException ex) when (attempt < MaxAttempts && IsTransientConflict(ex))
            {
                // The transaction rolled back whole, so writing the same group again is safe.
                logger.LogDebug(ex, "Group commit hit a transient conflict ({SqlState}); retrying", ex.SqlState);
            }
            catch (Exception ex) when (group.Count > 1 && RefusedData(ex) is { } refusal)
            {
                // The database refused something in the group, most likely one request's data. Committing each
                // request's share alone keeps that request from failing all the others.
                logger.LogWarning(ex, "Group commit of {Requests} requests was refused ({SqlState}); committing them one by one", group.Count, refusal.SqlState);
                foreach (var share in group)
                    await CommitAsync([share], scratch);
                return;
            }
            catch (Exception ex) when (RefusedData(ex) is { } refusal)
            {
                logger.LogWarning(ex, "A request's events were refused by the database ({SqlState}); it is answered 400", refusal.SqlState);
                Fail(group[0], new EventsRefusedException(refusal));
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Group commit of {Requests} requests failed; they are answered with an error and may be retried", group.Count);
                foreach (var share in group)
                    Fail(share, ex);
                return;
            }
        }
    }

    // SQL state classes 22 (data exception: a value the type cannot hold) and 54 (program limit exceeded: a row or
    // index entry too large) mean this data can never be stored as it is. Marten wraps the error in its own.
    private static PostgresException? RefusedData(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
            if (ex is PostgresException { SqlState: var state } refusal && (state.StartsWith("22", StringComparison.Ordinal) || state.StartsWith("54", StringComparison.Ordinal)))
                return refusal;
        return null;
    }

    // Deadlocks and serialization failures need nothing but a retry. A unique violation on Marten's stream tables
    // means another node appended to the same stream at the same moment (Marten's quick append reads the version
    // without locking); by the retry that node has committed.
    private static bool IsTransientConflict(PostgresException ex) =>
        ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure
        || (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.TableName is "mt_streams" or "mt_events");

    private void Complete(Share share, int stored)
    {
        var request = share.Request;
        Interlocked.Add(ref request.Stored, stored);
        if (Interlocked.Decrement(ref request.SharesLeft) > 0) return;
        Interlocked.Decrement(ref _pendingRequests);
        var total = Volatile.Read(ref request.Stored);
        request.Completion.TrySetResult(new AppendOutcome(total, request.Events - total));
    }

    private void Fail(Share share, Exception ex)
    {
        share.Request.Completion.TrySetException(ex);
        if (Interlocked.Decrement(ref share.Request.SharesLeft) == 0)
            Interlocked.Decrement(ref _pendingRequests);
    }

    /// <summary>Writes the events whose (tenant, messageId) is new, and counts them per share.</summary>
    private async Task<int[]> WriteAsync(List<Share> group, ArrayBufferWriter<byte> scratch)
    {
        // Within one group the first occurrence of a message id wins; the database settles it across groups and nodes.
        var seen = new HashSet<(string, string)>();
        var candidates = new List<(int Share, StreamEvent Event)>();
        for (var i = 0; i < group.Count; i++)
            foreach (var e in group[i].Events)
                if (seen.Add((e.Event.TenantId, e.Event.MessageId)))
                    candidates.Add((i, e));

        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();

        var claimed = await ClaimAsync(connection, transaction, candidates);
        var stored = new int[group.Count];
        var fresh = new List<StreamEvent>(candidates.Count);
        foreach (var (share, e) in candidates)
        {
            if (!claimed.Contains((e.Event.TenantId, e.Event.MessageId))) continue;
            fresh.Add(e);
            stored[share]++;
        }

        if (fresh.Count > 0)
        {
            if (_setBased is not null)
                await _setBased.AppendAsync(connection, transaction, fresh, scratch);
            else
                await AppendThroughSessionAsync(transaction, fresh);
        }

        await transaction.CommitAsync();
        return stored;
    }

    private async Task AppendThroughSessionAsync(NpgsqlTransaction transaction, List<StreamEvent> fresh)
    {
        await using var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction));
        // Streams in one global order, as in the set-based path, so two writers never lock streams in a cycle.
        foreach (var stream in fresh.GroupBy(e => e.StreamId).OrderBy(s => s.Key, StringComparer.Ordinal))
            session.Events.Append(stream.Key, stream.Select(e => (object)e.Event).ToArray());
        await session.SaveChangesAsync();
    }

    private async Task<HashSet<(string, string)>> ClaimAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<(int Share, StreamEvent Event)> candidates)
    {
        // Sorted, so that concurrent claims (other loops, other nodes) take conflicting ids in the same order and can
        // only wait on each other, never deadlock.
        var order = candidates.ConvertAll(c => c.Event.Event);
        order.Sort(static (a, b) =>
        {
            var byTenant = string.CompareOrdinal(a.TenantId, b.TenantId);
            return byTenant != 0 ? byTenant : string.CompareOrdinal(a.MessageId, b.MessageId);
        });
        var tenants = new string[order.Count];
        var messages = new string[order.Count];
        for (var i = 0; i < order.Count; i++)
        {
            tenants[i] = order[i].TenantId;
            messages[i] = order[i].MessageId;
        }
        var now = clock.GetUtcNow();

        await using var command = new NpgsqlCommand(_claimSql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]>("tenants", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = tenants });
        command.Parameters.Add(new NpgsqlParameter<string[]>("messages", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = messages });
        command.Parameters.Add(new NpgsqlParameter<DateTime>("now", NpgsqlDbType.TimestampTz) { TypedValue = now.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter<DateTime>("cutoff", NpgsqlDbType.TimestampTz) { TypedValue = (now - _options.DedupWindow).UtcDateTime });

        var claimed = new HashSet<(string, string)>(order.Count);
        await using var rows = await command.ExecuteReaderAsync();
        while (await rows.ReadAsync())
            claimed.Add((rows.GetString(0), rows.GetString(1)));
        return claimed;
    }
}
