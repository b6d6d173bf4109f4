using System.Collections.Concurrent;
using Marten;
using Personalization.Contracts.EventLog;
using Personalization.Segmentation.Profiles;
using Personalization.ServiceDefaults;

namespace Personalization.Segmentation.Rebuild;

public sealed record RebuildProgress(long Events, int Profiles, long LastSequence);

/// <summary>
/// Rebuilds every profile from the event log: each person's actor is reset when their first event is met, then
/// fed their events of each page in one call, in log order, through the same <see cref="ProfileFeeder"/> as the live path (merges included).
/// Pages are read in sequence order, so a person's events stay in order while different people run in parallel.
/// </summary>
public sealed class ProfileRebuilder(IEventLogStore eventLog, CustomerProfiles profiles, ProfileFeeder feeder)
{
    private const int PageSize = 5_000;

    public async Task<RebuildProgress> RebuildAsync(IProgress<RebuildProgress>? progress, CancellationToken cancellationToken)
    {
        var reset = new ConcurrentDictionary<string, bool>();
        long events = 0, after = 0;
        await using var session = eventLog.QuerySession();
        while (true)
        {
            var page = await session.Events.QueryAllRawEvents()
                .Where(e => e.Sequence > after)
                .OrderBy(e => e.Sequence)
                .Take(PageSize)
                .ToListAsync(cancellationToken);
            if (page.Count == 0) break;

            var streams = page
                .Where(e => e.Data is EventAccepted)
                .GroupBy(e => ((EventAccepted)e.Data).StreamKey.ToString());
            await Parallel.ForEachAsync(streams, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (stream, _) =>
            {
                if (reset.TryAdd(stream.Key, true))
                    await profiles.For(stream.Key).ResetAsync();
                await feeder.FeedAsync(stream.Select(stored => ((EventAccepted)stored.Data).ToMessage(stored.Id, stored.Sequence, stored.Version)).ToList(), cancellationToken);
            });

            events += page.Count;
            after = page[^1].Sequence;
            progress?.Report(new RebuildProgress(events, reset.Count, after));
        }
        return new RebuildProgress(events, reset.Count, after);
    }
}
