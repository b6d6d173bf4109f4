using System.Text.Json;
using Personalization.Contracts;
using Personalization.Contracts.V1;
using Personalization.Triggers.Journeys;

namespace Personalization.Triggers.Occurrences;

/// <summary>A tracked event of the person, as occurrences see it: to end them (exit criteria) or end their wait for it.</summary>
public sealed record JourneyEvent(string EventId, string Name, JsonElement Properties, DateTimeOffset Timestamp)
{
    /// <summary>A track event, unless it is bot traffic or part of a burst, which start and end nothing.</summary>
    public static JourneyEvent? From(EventRecorded recorded) =>
        recorded is { Type: "track", Name: { } name } && (recorded.Flags & (EventFlags.KnownBot | EventFlags.Burst)) == 0
            ? new JourneyEvent(recorded.EventId.ToString(), name,
                recorded.Payload.ValueKind == JsonValueKind.Object && recorded.Payload.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object
                    ? p.Clone()
                    : default,
                recorded.Timestamp)
            : null;

    public bool Matches(EventFilter filter) =>
        filter.Event == Name && filter.Where.All(w => Properties.ValueKind == JsonValueKind.Object
            && Properties.TryGetProperty(w.Key, out var value) && JsonElement.DeepEquals(value, w.Value));

    /// <summary>The value of the property that keys occurrences, as text; empty when the journey has no key or the event lacks it.</summary>
    public string KeyOf(string? property) =>
        property is not null && Properties.ValueKind == JsonValueKind.Object && Properties.TryGetProperty(property, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText()
            : "";
}
