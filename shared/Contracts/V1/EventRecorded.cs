using System.Text.Json;
using System.Text.Json.Serialization;

namespace Personalization.Contracts.V1;

/// <summary>
/// One behavioural event, as stored in the event log; the ingestion relay publishes them in <see cref="EventsRecorded"/>.
/// Its id is the stored event's id, so a redelivered or re-relayed event carries the same id.
/// </summary>
/// <param name="EventId">Id of the stored event; consumers key their inbox on it.</param>
/// <param name="Sequence">Global position in the event log.</param>
/// <param name="TenantId">Tenant that owns the event.</param>
/// <param name="SourceId">The tenant's source (app, site, server) whose write key sent it.</param>
/// <param name="StreamKey">The (tenant, user) stream the event belongs to.</param>
/// <param name="StreamVersion">Position in that stream, from 1; consumers use it to apply a person's events in order, once.</param>
/// <param name="MessageId">The publisher's message id (deduplicated per tenant).</param>
/// <param name="Type">Segment call type: identify, track, page, screen, group or alias.</param>
/// <param name="Name">Event name for track, page or screen name for page/screen, otherwise null.</param>
/// <param name="Payload">The message as the publisher sent it (properties, traits, context, ...).</param>
/// <param name="Flags">Why the event must not shape profiles or models (bot, burst, no consent); usually none.</param>
public sealed record EventRecorded(
    Guid EventId,
    long Sequence,
    string TenantId,
    string SourceId,
    string StreamKey,
    long StreamVersion,
    string MessageId,
    string Type,
    string? Name,
    string? UserId,
    string? AnonymousId,
    DateTimeOffset Timestamp,
    DateTimeOffset ReceivedAt,
    JsonElement Payload,
    EventFlags Flags = EventFlags.None)
{
    /// <summary>The W3C trace context of the ingestion request that brought the event; null for events stored before.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TraceParent { get; init; }
}
