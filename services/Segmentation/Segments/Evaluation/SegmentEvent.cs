using System.Text.Json;
using Personalization.Contracts.Commerce;
using Personalization.Contracts.Conditions;
using Personalization.Contracts.V1;
using Personalization.Segmentation.Segments.Definitions;

namespace Personalization.Segmentation.Segments.Evaluation;

/// <summary>
/// An event as segment conditions see it. Its instant is the event's time, but never later than when it was
/// received, so a client clock running ahead cannot bring a deadline forward.
/// </summary>
public sealed record SegmentEvent(Guid EventId, string Type, string? Name, DateTimeOffset Instant, JsonElement Properties)
{
    public static SegmentEvent From(EventRecorded e) => new(
        e.EventId, e.Type, e.Name, e.Timestamp < e.ReceivedAt ? e.Timestamp : e.ReceivedAt, CommerceEvents.Properties(e.Payload));

    /// <summary>The name conditions match on: commerce steps in any spelling are one name.</summary>
    public string? MatchName => Type == "track" && CommerceEvents.ActionOf(Name) is { } action ? "commerce:" + action : Name;

    public bool Matches(EventMatch match)
    {
        foreach (var test in match.Where)
            if (!Comparisons.AllHold(test.Comparisons, FieldValue.Of(Property(test.Path)))) return false;
        return true;
    }

    private JsonElement Property(string path)
    {
        var element = Properties;
        foreach (var name in path.Split('.'))
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element)) return default;
        return element;
    }
}
