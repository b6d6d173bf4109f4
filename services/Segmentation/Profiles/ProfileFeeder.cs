using Personalization.Contracts.V1;
using Personalization.ServiceDefaults;

namespace Personalization.Segmentation.Profiles;

/// <summary>
/// Feeds one event to its person's actor. When the actor then waits on versions that delivery has not brought (its
/// state was lost, or they are still in flight), reads them from the event log, so the profile catches up by itself
/// instead of holding later events forever. The live consumer and the rebuild both feed through here.
/// </summary>
public sealed class ProfileFeeder(EventLogReader eventLog, CustomerProfiles profiles)
{
    public async Task FeedAsync(EventRecorded message, CancellationToken cancellationToken)
    {
        var actor = profiles.For(message.StreamKey);
        var outcome = await actor.ApplyAsync(message);
        while (outcome.FirstWaiting is { } waiting)
        {
            var before = outcome.Version;
            var missing = await eventLog.ReadAsync(message.StreamKey, outcome.Version + 1, waiting - 1, cancellationToken);
            if (missing.Count == 0)
            {
                // A later version was delivered, so the earlier ones were committed before it; if the log no longer
                // has them, the stream was erased, and what waits in the actor must go with it.
                await actor.ResetAsync();
                return;
            }
            foreach (var next in missing)
                outcome = await actor.ApplyAsync(next);
            if (outcome.Version == before)
                break;
        }
        if (outcome.MergedInto is { } person)
            await profiles.For(person).CatchUpMergedAsync(message.StreamKey);
    }
}
