using System.Buffers;
using System.Threading.Channels;
using Personalization.Contracts.EventLog;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;
using Personalization.Ingestion.Debugger;

namespace Personalization.Ingestion.Storage;

/// <summary>
/// Group commit: requests queue their events, and a commit loop writes whatever has queued in a single transaction
/// (dedup claim + stream appends), then completes every waiting request. One SaveChanges per request caps
/// throughput near 1.4k events/s on this hardware; batching across requests does not.
/// <para>
/// <see cref="GroupCommitOptions.CommitLoops"/> loops commit side by side, each on its own connection: one PostgreSQL
/// backend works on one core. Each loop owns the streams whose id hashes to it, and a request's events are split
/// among the loops by stream (<see cref="StreamShards"/>). A request is answered once every loop holding a share has committed.
/// Dedup ids are claimed in the database, so they are exact across loops, requests and nodes alike.
/// </para>
/// </summary>
public sealed class GroupCommitWriter(
    IDocumentStore store,
    NpgsqlDataSource dataSource,
    IOptions<GroupCommitOptions> options,
    IOptions<DedupOptions> dedup,
    TimeProvider clock,
    EventCountFlusher counts,
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

    private readonly GroupCommitOptions _options = options.Value;
    private readonly TimeSpan _dedupWindow = dedup.Value.DedupWindow;
    private readonly Channel<Share>[] _loops = Enumerable.Range(0, options.Value.CommitLoops)
        .Select(_ => Channel.CreateUnbounded<Share>(new UnboundedChannelOptions { SingleReader = true }))
        .ToArray();
    private readonly IStreamAppend _append = IStreamAppend.For(store, options.Value.SetBasedAppend);
    private int _pendingRequests;

    /// <summary>Completes once the events are committed; duplicates of messages stored within the dedup window are skipped.</summary>
    public Task<AppendOutcome> AppendAsync(IReadOnlyList<EventAccepted> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
            return Task.FromResult(AppendOutcome.None);
        if (Interlocked.Increment(ref _pendingRequests) > _options.MaxPendingRequests)
        {
            Interlocked.Decrement(ref _pendingRequests);
            throw new IngestionOverloadedException();
        }

        var shares = StreamShards.Split(events, _loops.Length);
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
            catch (PostgresException ex) when (attempt < MaxAttempts && StoreErrors.IsTransientConflict(ex))
            {
                // The transaction rolled back whole, so writing the same group again is safe.
                logger.LogDebug(ex, "Group commit hit a transient conflict ({SqlState}); retrying", ex.SqlState);
            }
            catch (Exception ex) when (group.Count > 1 && StoreErrors.RefusedData(ex) is { } refusal)
            {
                // The database refused something in the group, most likely one request's data. Committing each
                // request's share alone keeps that request from failing all the others.
                logger.LogWarning(ex, "Group commit of {Requests} requests was refused ({SqlState}); committing them one by one", group.Count, refusal.SqlState);
                foreach (var share in group)
                    await CommitAsync([share], scratch);
                return;
            }
            catch (Exception ex) when (StoreErrors.RefusedData(ex) is { } refusal)
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
        var duplicates = new List<EventAccepted>();
        for (var i = 0; i < group.Count; i++)
            foreach (var e in group[i].Events)
                if (seen.Add((e.Event.TenantId, e.Event.MessageId)))
                    candidates.Add((i, e));
                else
                    duplicates.Add(e.Event);

        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();

        var now = clock.GetUtcNow();
        var claimed = await DedupTable.ClaimAsync(connection, transaction, candidates.Select(c => c.Event.Event), now, _dedupWindow);
        var stored = new int[group.Count];
        var fresh = new List<StreamEvent>(candidates.Count);
        foreach (var (share, e) in candidates)
        {
            if (!claimed.Contains((e.Event.TenantId, e.Event.MessageId)))
            {
                duplicates.Add(e.Event);
                continue;
            }
            fresh.Add(e);
            stored[share]++;
        }

        if (fresh.Count > 0)
            await _append.AppendAsync(connection, transaction, fresh, scratch);
        await DuplicateSightings.RecordAsync(connection, transaction, duplicates, IngestionStore.Schema);

        await transaction.CommitAsync();
        counts.Add(fresh.Select(e => e.Event), now);
        return stored;
    }
}
