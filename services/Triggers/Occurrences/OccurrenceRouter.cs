using System.Text.Json;
using Dapr.Actors;
using Dapr.Actors.Client;
using Personalization.Contracts.V1;
using Personalization.Triggers.Journeys;

namespace Personalization.Triggers.Occurrences;

/// <summary>
/// Brings a person's events and segment entries to the occurrences they concern: first to the person's waiting
/// occurrences (exits and waits for events), then as entries to the live journeys they start. Only identified
/// people take part (a message needs an address); bot traffic and bursts start and end nothing.
/// </summary>
public sealed class OccurrenceRouter(IActorProxyFactory proxies, OccurrenceStore store, JourneyCatalog journeys, Inbox inbox)
{
    /// <summary>People of one batch routed at once: their events need no order between them, one person's do.</summary>
    private const int PeopleAtOnce = 4;

    private static readonly JsonElement NoEvent = JsonSerializer.SerializeToElement(new { });

    /// <summary>
    /// A batch of the relay's events: the inbox and the people's waiting occurrences are read once for all of them, and
    /// the inbox written once after; each person's events go in order, <see cref="PeopleAtOnce"/> people at a time.
    /// </summary>
    public async Task RouteAsync(IReadOnlyList<EventRecorded> events, CancellationToken cancellationToken)
    {
        var routed = events.Where(r => r.UserId is not null)
            .Select(r => (Recorded: r, Event: JourneyEvent.From(r)!, MessageId: $"event/{r.EventId}")).Where(x => x.Event is not null).ToList();
        if (routed.Count == 0) return;
        var seen = await inbox.SeenAsync(routed.Select(x => x.MessageId).ToList(), cancellationToken);
        var people = routed.Where(x => !seen.Contains(x.MessageId)).GroupBy(x => (x.Recorded.TenantId, UserId: x.Recorded.UserId!)).ToList();
        if (people.Count == 0) return;
        var waiting = await store.WaitingActorsAsync(people.Select(p => p.Key).ToList(), cancellationToken);
        await Parallel.ForEachAsync(people, new ParallelOptions { MaxDegreeOfParallelism = PeopleAtOnce, CancellationToken = cancellationToken }, async (person, token) =>
        {
            // An occurrence entered by one of these events waits for the person's next ones, as if read again.
            var listening = waiting[person.Key].ToList();
            foreach (var (recorded, e, _) in person)
            {
                foreach (var actorId in listening.ToList())
                    await Actor(actorId).ReceiveAsync(e);
                foreach (var live in await journeys.LiveAsync(recorded.TenantId, token))
                    if (live.Definition.Entry is EventEntry entry && e.Matches(entry.Filter))
                    {
                        var actorId = await EnterAsync(live, recorded.TenantId, person.Key.UserId, e.KeyOf(live.Definition.Key), e.EventId,
                            recorded.Payload, recorded.StreamKey, recorded.StreamVersion);
                        if (!listening.Contains(actorId)) listening.Add(actorId);
                    }
            }
        });
        await inbox.MarkAsync(people.SelectMany(p => p.Select(x => x.MessageId)).ToList(), cancellationToken);
    }

    public async Task RouteAsync(SegmentEntered entered, CancellationToken cancellationToken)
    {
        if (entered.UserId is not { } userId) return;
        string[] messageId = [$"segment/{entered.TransitionKey}"];
        if ((await inbox.SeenAsync(messageId, cancellationToken)).Count > 0) return;
        foreach (var live in await journeys.LiveAsync(entered.TenantId, cancellationToken))
            if (live.Definition.Entry is SegmentEntry entry && entry.SegmentId == entered.SegmentId)
                await EnterAsync(live, entered.TenantId, userId, "", entered.TransitionKey, NoEvent);
        await inbox.MarkAsync(messageId, cancellationToken);
    }

    /// <summary>A member of a broadcast's segment entering on the run at <paramref name="runAt"/>: once per run, whatever the retries.</summary>
    public async Task EnterBroadcastAsync(LiveJourney live, string tenantId, string userId, DateTimeOffset runAt) =>
        await EnterAsync(live, tenantId, userId, "", $"broadcast/{runAt:O}", NoEvent);

    public IJourneyOccurrenceActor Actor(string actorId) =>
        new JourneyOccurrenceClient(proxies.Create(new ActorId(actorId), JourneyOccurrenceActor.TypeName));

    /// <summary>Offers the entry to its occurrence actor; returns the actor's id.</summary>
    private async Task<string> EnterAsync(LiveJourney live, string tenantId, string userId, string key, string entryId, JsonElement entryEvent,
        string? streamKey = null, long streamVersion = 0)
    {
        var actorId = EntryRules.ActorId(tenantId, live.Id, userId, key);
        await Actor(actorId).EnterAsync(new OccurrenceEntry(tenantId, live.Id, live.Version, userId, key, entryId, entryEvent, streamKey, streamVersion));
        return actorId;
    }
}
