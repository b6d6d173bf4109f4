using Marten;
using Personalization.Contracts;
using Personalization.Contracts.EventLog;
using Personalization.ServiceDefaults;

namespace Personalization.Recommendation.Interactions;

/// <summary>
/// A tenant's interactions, read from the event log in sequence order. Identity is resolved the way profiles do
/// it: an anonymous id that an identify or alias call tied to a user (the first link wins, as in ingestion) counts
/// as that user, for history from before the link too. Erased users' events are gone from the log, so they give
/// nothing; flagged events (bots, bursts, no consent) are dropped by <see cref="EventLogInteractions"/>.
/// </summary>
public sealed class EventLogInteractionReader(IEventLogStore eventLog)
{
    private const int PageSize = 5_000;

    public async Task<InteractionFile> ReadAsync(string tenantId, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var interactions = new List<Interaction>();
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        var streamPrefix = tenantId + "/";
        long after = 0, events = 0;
        await using var session = eventLog.QuerySession();
        while (true)
        {
            var page = await session.Events.QueryAllRawEvents()
                .Where(e => e.Sequence > after && e.StreamKey!.StartsWith(streamPrefix))
                .OrderBy(e => e.Sequence)
                .Take(PageSize)
                .ToListAsync(cancellationToken);
            if (page.Count == 0) break;

            foreach (var stored in page)
            {
                if (stored.Data is not EventAccepted accepted || accepted.TenantId != tenantId) continue;
                if (IdentityLink.AnonymousIdLinkedBy(accepted.Type, accepted.UserId, accepted.AnonymousId, accepted.Payload) is { } linked)
                    owners.TryAdd(EventLogInteractions.AnonymousUser(linked), accepted.UserId!);
                interactions.AddRange(EventLogInteractions.From(accepted.ToMessage(stored.Id, stored.Sequence, stored.Version)));
            }
            events += page.Count;
            after = page[^1].Sequence;
            progress?.Report(events);
        }

        for (var n = 0; n < interactions.Count; n++)
            if (owners.TryGetValue(interactions[n].User, out var user))
                interactions[n] = interactions[n] with { User = user };
        return new InteractionFile(interactions, new Dictionary<string, int>());
    }

    /// <summary>
    /// The interactions of the tenant's latest <paramref name="limit"/> events that happened after
    /// <paramref name="since"/> (by the event's own time): what people do now, for the drift check. Users as sent.
    /// </summary>
    public async Task<IReadOnlyList<Interaction>> RecentAsync(string tenantId, DateTime since, int limit, CancellationToken cancellationToken)
    {
        var streamPrefix = tenantId + "/";
        await using var session = eventLog.QuerySession();
        var page = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamKey!.StartsWith(streamPrefix))
            .OrderByDescending(e => e.Sequence)
            .Take(limit)
            .ToListAsync(cancellationToken);
        return [.. page
            .Where(stored => stored.Data is EventAccepted accepted && accepted.TenantId == tenantId)
            .SelectMany(stored => EventLogInteractions.From(((EventAccepted)stored.Data).ToMessage(stored.Id, stored.Sequence, stored.Version)))
            .Where(interaction => interaction.Timestamp > since)];
    }
}
