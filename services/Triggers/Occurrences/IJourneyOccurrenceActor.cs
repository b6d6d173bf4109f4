using System.Text.Json;
using Dapr.Actors;

namespace Personalization.Triggers.Occurrences;

/// <summary>A person entering a journey on a message (an event, a segment entry, a broadcast), on the journey's published version.</summary>
/// <param name="EntryId">The message's id: entering twice on one message starts one occurrence.</param>
/// <param name="EntryEvent">The entry event as it was sent, for templates; an empty object for a segment entry.</param>
/// <param name="StreamKey">The person's stream in the event log, when an event of it is the entry.</param>
/// <param name="StreamVersion">The entry event's place in that stream: the person's later events are the occurrence's to hear.</param>
public sealed record OccurrenceEntry(string TenantId, string JourneyId, int Version, string UserId, string Key, string EntryId, JsonElement EntryEvent,
    string? StreamKey = null, long StreamVersion = 0);

/// <summary>
/// The occurrences of one journey for one person and key (tenant, journey, person, key), one at a time. Its waits
/// are reminders, so they survive a restart of the service or its sidecar. Dapr actor methods take no CancellationToken.
/// </summary>
public interface IJourneyOccurrenceActor : IActor
{
    /// <summary>Starts an occurrence when the journey's re-entry policy allows it, and runs it to its first wait.</summary>
    Task EnterAsync(OccurrenceEntry entry);

    /// <summary>An event of the person: it may end the occurrence (an exit criterion) or the wait for it.</summary>
    Task ReceiveAsync(JourneyEvent e);

    /// <summary>Goes on from a wait whose time has passed; what the reminder does, and the sweep of overdue waits.</summary>
    Task WakeAsync();
}
