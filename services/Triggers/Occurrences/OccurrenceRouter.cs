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
    private static readonly JsonElement NoEvent = JsonSerializer.SerializeToElement(new { });

    public async Task RouteAsync(EventRecorded recorded, CancellationToken cancellationToken)
    {
        if (recorded.UserId is not { } userId || JourneyEvent.From(recorded) is not { } e) return;
        var messageId = $"event/{recorded.EventId}";
        if (await inbox.SeenAsync(messageId, cancellationToken)) return;
        foreach (var actorId in await store.WaitingActorsAsync(recorded.TenantId, userId, cancellationToken))
            await Actor(actorId).ReceiveAsync(e);
        foreach (var live in await journeys.LiveAsync(recorded.TenantId, cancellationToken))
            if (live.Definition.Entry is EventEntry entry && e.Matches(entry.Filter))
                await EnterAsync(live, recorded.TenantId, userId, e.KeyOf(live.Definition.Key), e.EventId, recorded.Payload, recorded.StreamKey, recorded.StreamVersion);
        await inbox.MarkAsync(messageId, cancellationToken);
    }

    public async Task RouteAsync(SegmentEntered entered, CancellationToken cancellationToken)
    {
        if (entered.UserId is not { } userId) return;
        var messageId = $"segment/{entered.TransitionKey}";
        if (await inbox.SeenAsync(messageId, cancellationToken)) return;
        foreach (var live in await journeys.LiveAsync(entered.TenantId, cancellationToken))
            if (live.Definition.Entry is SegmentEntry entry && entry.SegmentId == entered.SegmentId)
                await EnterAsync(live, entered.TenantId, userId, "", entered.TransitionKey, NoEvent);
        await inbox.MarkAsync(messageId, cancellationToken);
    }

    /// <summary>A member of a broadcast's segment entering on the run at <paramref name="runAt"/>: once per run, whatever the retries.</summary>
    public Task EnterBroadcastAsync(LiveJourney live, string tenantId, string userId, DateTimeOffset runAt) =>
        EnterAsync(live, tenantId, userId, "", $"broadcast/{runAt:O}", NoEvent);

    public IJourneyOccurrenceActor Actor(string actorId) =>
        proxies.CreateActorProxy<IJourneyOccurrenceActor>(new ActorId(actorId), JourneyOccurrenceActor.TypeName);

    private Task EnterAsync(LiveJourney live, string tenantId, string userId, string key, string entryId, JsonElement entryEvent,
        string? streamKey = null, long streamVersion = 0) =>
        Actor(EntryRules.ActorId(tenantId, live.Id, userId, key))
            .EnterAsync(new OccurrenceEntry(tenantId, live.Id, live.Version, userId, key, entryId, entryEvent, streamKey, streamVersion));
}
