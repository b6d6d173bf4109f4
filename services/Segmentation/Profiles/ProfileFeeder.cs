using Personalization.Contracts.V1;

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
        var outcome = await ApplyAsync(actor, message);
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
                outcome = await ApplyAsync(actor, next);
            if (outcome.Version == before)
                break;
        }
        if (outcome.MergedInto is { } person)
            await profiles.For(person).CatchUpMergedAsync(message.StreamKey);
    }

    private async Task<ApplyOutcome> ApplyAsync(ICustomerProfileActor actor, EventRecorded message)
    {
        // Before the person's profile reads the anonymous history: from here on that stream passes on what it gains,
        // so an event stored there after the read, by a node that had not seen the link yet, still reaches the person.
        if (AnonymousHistory.LinkedBy(message) is { } linked)
            await profiles.For(linked).FollowAsync(message.StreamKey);
        return await actor.ApplyAsync(message);
    }
}
