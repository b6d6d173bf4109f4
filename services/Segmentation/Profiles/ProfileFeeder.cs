using Personalization.Contracts.V1;
using Personalization.ServiceDefaults;

namespace Personalization.Segmentation.Profiles;

/// <summary>
/// Feeds one person's events, in stream order, to their actor in one call. When the actor then waits on versions that delivery has not brought (its
/// state was lost, or they are still in flight), reads them from the event log, so the profile catches up by itself
/// instead of holding later events forever. The live consumer and the rebuild both feed through here.
/// </summary>
public sealed class ProfileFeeder(EventLogReader eventLog, CustomerProfiles profiles)
{
    /// <summary>Most events handed to the actor in one call when catching up from the log.</summary>
    private const int EventsPerCall = 500;

    public async Task FeedAsync(IReadOnlyList<EventRecorded> events, CancellationToken cancellationToken)
    {
        var streamKey = events[0].StreamKey;
        var actor = profiles.For(streamKey);
        var outcome = await actor.ApplyAsync(events);
        while (outcome.FirstWaiting is { } waiting)
        {
            var before = outcome.Version;
            var missing = await eventLog.ReadAsync(streamKey, outcome.Version + 1, waiting - 1, cancellationToken);
            if (missing.Count == 0)
            {
                // A later version was delivered, so the earlier ones were committed before it; if the log no longer
                // has them, the stream was erased, and what waits in the actor must go with it.
                await actor.ResetAsync();
                return;
            }
            foreach (var next in missing.Chunk(EventsPerCall))
                outcome = await actor.ApplyAsync(next);
            if (outcome.Version == before)
                break;
        }
        if (outcome.MergedInto is { } person)
            await profiles.For(person).CatchUpMergedAsync(streamKey);
    }
}
