using Personalization.Contracts.V1;
using Personalization.ServiceDefaults;

namespace Personalization.Segmentation.Profiles;

/// <summary>Hands one person's events to their actor, and then settles what the actor still waits on.</summary>
public interface IProfileFeed
{
    /// <summary>Applies the events (one stream's, in stream order) in as few calls as it takes.</summary>
    Task<ApplyOutcome> ApplyAsync(IReadOnlyList<EventRecorded> events);

    /// <summary>Fills from the event log the versions the actor waits on, and brings a merged-into person up to date.</summary>
    Task SettleAsync(string streamKey, ApplyOutcome outcome, CancellationToken cancellationToken);
}

/// <summary>
/// Feeds one person's events to their actor. When the actor then waits on versions that delivery has not brought
/// (its state was lost, or they are still in flight), reads them from the event log, so the profile catches up by
/// itself instead of holding later events forever. The live consumer and the rebuild both feed through here.
/// </summary>
public sealed class ProfileFeeder(EventLogReader eventLog, CustomerProfiles profiles, ProfileFeedMetrics metrics, TimeProvider clock) : IProfileFeed
{
    /// <summary>Most events handed to the actor in one call: bounds the size of one remoting message and one turn.</summary>
    public const int EventsPerCall = 500;

    public async Task FeedAsync(IReadOnlyList<EventRecorded> events, CancellationToken cancellationToken) =>
        await SettleAsync(events[0].StreamKey, await ApplyAsync(events), cancellationToken);

    public async Task<ApplyOutcome> ApplyAsync(IReadOnlyList<EventRecorded> events)
    {
        var actor = profiles.For(events[0].StreamKey);
        ApplyOutcome? outcome = null;
        foreach (var chunk in events.Chunk(EventsPerCall))
        {
            outcome = await actor.ApplyAsync(chunk);
            metrics.Called(chunk, clock.GetUtcNow());
        }
        return outcome!;
    }

    public async Task SettleAsync(string streamKey, ApplyOutcome outcome, CancellationToken cancellationToken)
    {
        while (outcome.FirstWaiting is { } waiting)
        {
            var before = outcome.Version;
            metrics.ReadLog();
            var missing = await eventLog.ReadAsync(streamKey, outcome.Version + 1, waiting - 1, cancellationToken);
            if (missing.Count == 0)
            {
                // A later version was delivered, so the earlier ones were committed before it; if the log no longer
                // has them, the stream was erased, and what waits in the actor must go with it.
                await profiles.For(streamKey).ResetAsync();
                return;
            }
            outcome = await ApplyAsync(missing);
            if (outcome.Version == before)
                break;
        }
        if (outcome.MergedInto is { } person)
            await profiles.For(person).CatchUpMergedAsync(streamKey);
    }
}
