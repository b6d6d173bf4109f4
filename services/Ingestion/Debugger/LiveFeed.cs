using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;

namespace Personalization.Ingestion.Debugger;

/// <summary>
/// Follows a source for the live debugger: first its latest entries, then each new one within a poll of the
/// database (every half second), which sees every replica's commits. Commits land out of sequence order (one that
/// stalls behind later ones), so every poll looks back a little and skips what it has sent. When more arrive in a
/// poll than <see cref="PerPoll"/> of a kind, the latest are sent: at such rates it is a sample.
/// </summary>
public sealed class LiveFeed(LiveEventsReader reader, TimeProvider clock)
{
    public const int History = 50;
    public const int PerPoll = 200;
    public const string EntryEvent = "entry";
    public const string PingEvent = "ping";
    private const long Lookback = 1_000;
    // The first look goes this far back in the log, so a quiet source's history is not a scan of the whole log.
    private const long HistoryScan = 100_000;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan PingAfter = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan DeadLetterLookback = TimeSpan.FromSeconds(10);

    public async IAsyncEnumerable<SseItem<LiveEntry?>> FollowAsync(string tenant, string source, [EnumeratorCancellation] CancellationToken ct)
    {
        // Before anything is sent: whatever a page sends once it sees the stream open arrives after this.
        var startedAt = clock.GetUtcNow();
        // At once, so the answer's headers go out and the page knows the stream runs before anything arrives.
        yield return new SseItem<LiveEntry?>(null, PingEvent);
        var sent = new SentKeys(20_000);
        var upTo = await reader.LastSequenceAsync(ct);
        var first = await NextAsync(tenant, source, Math.Max(0, upTo - HistoryScan), upTo, 0, clock.GetUtcNow() - DuplicateSightings.Retention, History, sent, ct);
        foreach (var entry in first) yield return new SseItem<LiveEntry?>(entry, EntryEvent);

        var lastDuplicate = first.Where(e => e.Kind == LiveEntry.Duplicate).Select(e => e.Sequence!.Value).DefaultIfEmpty(0).Max();
        // The looks back never reach behind the first look: what it left out is older history, not a late commit.
        var (storedFloor, duplicatesFloor, deadLettersFloor) = (upTo, lastDuplicate, startedAt);
        var quietSince = clock.GetUtcNow();
        while (true)
        {
            await Task.Delay(PollInterval, clock, ct);
            var polledAt = clock.GetUtcNow();
            var last = await reader.LastSequenceAsync(ct);
            var entries = await NextAsync(tenant, source, Math.Max(storedFloor, upTo - Lookback), last, Math.Max(duplicatesFloor, lastDuplicate - Lookback),
                Max(deadLettersFloor, polledAt - DeadLetterLookback), PerPoll, sent, ct);
            upTo = last;
            lastDuplicate = entries.Where(e => e.Kind == LiveEntry.Duplicate).Select(e => e.Sequence!.Value).Append(lastDuplicate).Max();
            foreach (var entry in entries) yield return new SseItem<LiveEntry?>(entry, EntryEvent);

            if (entries.Count > 0) quietSince = polledAt;
            else if (polledAt - quietSince >= PingAfter)
            {
                // Keeps proxies from closing a quiet stream, and tells the page the stream still runs.
                quietSince = polledAt;
                yield return new SseItem<LiveEntry?>(null, PingEvent);
            }
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private async Task<List<LiveEntry>> NextAsync(string tenant, string source, long storedAfter, long upTo, long duplicatesAfter,
        DateTimeOffset deadLettersAfter, int limit, SentKeys sent, CancellationToken ct)
    {
        var stored = await reader.StoredAsync(tenant, source, storedAfter, upTo, limit, ct);
        var duplicates = await reader.DuplicatesAsync(tenant, source, duplicatesAfter, limit, ct);
        var deadLetters = await reader.DeadLettersAsync(tenant, source, deadLettersAfter, limit, ct);
        return stored.Concat(duplicates).Concat(deadLetters).Where(e => sent.Add(e.Key)).OrderBy(e => e.ReceivedAt).ToList();
    }

    /// <summary>The keys sent lately, the oldest forgotten first: enough to cover every look back.</summary>
    private sealed class SentKeys(int capacity)
    {
        private readonly HashSet<string> _keys = [];
        private readonly Queue<string> _order = new();

        public bool Add(string key)
        {
            if (!_keys.Add(key)) return false;
            _order.Enqueue(key);
            if (_order.Count > capacity) _keys.Remove(_order.Dequeue());
            return true;
        }
    }
}
