using System.Text.Json;
using System.Text.Json.Serialization;
using Personalization.Contracts.V1;

namespace Personalization.Contracts.EventLog;

/// <summary>
/// An event the platform accepted, as it sits in the (tenant, user) stream of the event log. Never changed after
/// append. Ingestion writes it; the relay and every rebuild read it, so its shape is a contract.
/// </summary>
public sealed record EventAccepted(
    string TenantId,
    string SourceId,
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
    /// <summary>The W3C trace context of the request that brought the event, so its later work joins that trace.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TraceParent { get; init; }

    // Derived, so not stored: it would add a sixth to every event row in the log.
    [JsonIgnore]
    public StreamKey StreamKey => StreamKey.For(TenantId, UserId, AnonymousId);

    /// <summary>The integration message for this event, as stored: its id, global sequence and version in its stream.</summary>
    public EventRecorded ToMessage(Guid eventId, long sequence, long streamVersion) => new(
        eventId, sequence, TenantId, SourceId, StreamKey.ToString(), streamVersion, MessageId, Type, Name, UserId, AnonymousId, Timestamp, ReceivedAt, Payload, Flags)
    {
        TraceParent = TraceParent,
    };
}
