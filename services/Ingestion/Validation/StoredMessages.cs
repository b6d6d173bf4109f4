using System.Text.Json;
using Personalization.Contracts.EventLog;
using Personalization.Ingestion.CloudEvents;

namespace Personalization.Ingestion.Validation;

/// <summary>How a message set aside as invalid was sent, so it can be judged again the way it came.</summary>
public enum MessageFormat
{
    Segment,
    CloudEvent,
}

/// <summary>What a stored message says of itself, for listings and for finding a person's messages.</summary>
public sealed record RawSummary(string? MessageId, string? Type, string? Name, string? UserId);

/// <summary>Messages kept as sent (invalid ones of a batch taken in part): judged again on replay, and summarised.</summary>
public static class StoredMessages
{
    public static (EventAccepted? Event, IReadOnlyList<string> Problems) Parse(string raw, MessageFormat format, EventOrigin origin) =>
        format == MessageFormat.CloudEvent ? CloudEventsTranslator.ParseStored(raw, origin) : SegmentMessageParser.ParseStored(raw, origin);

    public static RawSummary Summarize(string? raw, MessageFormat format)
    {
        if (raw is null) return new RawSummary(null, null, null, null);
        try
        {
            using var document = JsonDocument.Parse(raw);
            var root = document.RootElement;
            string? Field(string name) => Contracts.JsonFields.Text(root, name);
            return format == MessageFormat.CloudEvent
                ? new RawSummary(
                    Field("source") is { } source && Field("id") is { } id ? CloudEventsTranslator.MessageIdOf(source, id) : null,
                    Field("calltype") ?? Contracts.EventTypes.Track, Field("type"), Field("userid") ?? Field("subject"))
                : new RawSummary(Field("messageId"), Field("type"), Field("event"), Field("userId"));
        }
        catch (JsonException)
        {
            return new RawSummary(null, null, null, null);
        }
    }
}
