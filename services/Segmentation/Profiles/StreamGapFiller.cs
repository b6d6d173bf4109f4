using Marten;
using Personalization.Contracts.EventLog;
using Personalization.ServiceDefaults;

namespace Personalization.Segmentation.Profiles;

/// <summary>
/// When a profile waits on events that delivery has not brought (its actor state was lost, or the events were
/// delivered before it existed), reads them from the event log, so the profile catches up by itself instead of
/// holding later events forever. Anything the log gives twice is ignored by version.
/// </summary>
public sealed class StreamGapFiller(IEventLogStore eventLog)
{
    public async Task FillAsync(ICustomerProfileActor actor, string streamKey, ApplyOutcome outcome, CancellationToken cancellationToken)
    {
        while (outcome.FirstWaiting is { } waiting)
        {
            await using var session = eventLog.QuerySession();
            var missing = await session.Events.FetchStreamAsync(streamKey, version: waiting - 1, fromVersion: outcome.Version + 1, token: cancellationToken);
            var before = outcome.Version;
            foreach (var stored in missing)
                if (stored.Data is EventAccepted accepted)
                    outcome = await actor.ApplyAsync(accepted.ToMessage(stored.Id, stored.Sequence, stored.Version));
            if (outcome.Version == before)
                return;
        }
    }
}
