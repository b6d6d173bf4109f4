namespace Personalization.Contracts.V1;

/// <summary>
/// Stored events as the ingestion relay publishes them: many to a message, since a broker message per event caps the
/// relay near 10k events/s. Every event of one stream within one relay page travels in the same message, in stream
/// order, so a consumer can apply a person's events in one go. Delivery is at least once and messages may be
/// handled out of order: consumers deduplicate each event on its <see cref="EventRecorded.EventId"/> (or apply it by
/// stream version), never on the message id.
/// </summary>
/// <param name="Events">At least one event, in log order.</param>
public sealed record EventsRecorded(IReadOnlyList<EventRecorded> Events)
{
    /// <summary>The events grouped by stream, each group in stream order (the order they came in).</summary>
    public IEnumerable<IReadOnlyList<EventRecorded>> ByStream() =>
        Events.GroupBy(e => e.StreamKey).Select(stream => (IReadOnlyList<EventRecorded>)stream.ToList());
}
