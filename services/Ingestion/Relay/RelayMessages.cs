using Personalization.Contracts.V1;

namespace Personalization.Ingestion.Relay;

/// <summary>How the relay packs a page of stored events into broker messages.</summary>
public static class RelayMessages
{
    /// <summary>
    /// Packs <paramref name="page"/> (in log order) into messages of about <paramref name="eventsPerMessage"/> events.
    /// A stream's events in the page all go into one message, in order, even past the size; streams keep the order of
    /// their first event in the page.
    /// </summary>
    public static IReadOnlyList<EventsRecorded> Pack(IReadOnlyList<EventRecorded> page, int eventsPerMessage)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(eventsPerMessage, 1);
        var messages = new List<EventsRecorded>();
        var current = new List<EventRecorded>();
        foreach (var stream in new EventsRecorded(page).ByStream())
        {
            if (current.Count > 0 && current.Count + stream.Count > eventsPerMessage)
            {
                messages.Add(new EventsRecorded(current));
                current = [];
            }
            current.AddRange(stream);
        }
        if (current.Count > 0) messages.Add(new EventsRecorded(current));
        return messages;
    }
}
