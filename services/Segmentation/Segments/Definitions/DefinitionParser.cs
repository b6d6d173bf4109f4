using System.Globalization;
using System.Text.Json;
using Personalization.Contracts;
using Personalization.Contracts.Commerce;
using Personalization.Contracts.Conditions;

namespace Personalization.Segmentation.Segments.Definitions;

/// <summary>
/// Reads a segment definition from JSON. Every fault is reported with the JSON path where it is (<c>$.condition.and[1].within</c>),
/// all at once, so one 400 tells the author everything to fix. Beside the kinds every condition has, a segment tests
/// the person's events (<c>performed</c>, <c>firstSeen</c>, <c>lastSeen</c>), and names only rule segments. The
/// grammar is documented in the Segmentation README.
/// </summary>
public sealed class DefinitionParser : ConditionReader
{
    public const int MaxCount = 10_000;
    private const string Root = "$";

    private static readonly string[] SegmentKinds = [.. ProfileKinds, "performed", "firstSeen", "lastSeen"];
    private static readonly string[] EventTypes = ["track", "page", "screen", "identify", "group", "alias"];

    private DefinitionParser(Faults faults) : base(faults) { }

    protected override IReadOnlyList<string> Kinds => SegmentKinds;

    protected override bool IsSegmentId(string id) => DefinitionIds.IsValid(id);

    protected override string SegmentIdRule => $"a segment id: {DefinitionIds.Rule}";

    /// <summary>The parsed definition, or the faults by JSON path.</summary>
    public static (ParsedDefinition? Parsed, Dictionary<string, string[]> Errors) Parse(JsonElement body)
    {
        var faults = new Faults();
        var parsed = new DefinitionParser(faults).ReadDefinition(body);
        return faults.Any ? (null, faults.ToDictionary()) : (parsed, []);
    }

    private ParsedDefinition? ReadDefinition(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
            return Faults.At<ParsedDefinition>(Root, "A segment definition is a JSON object with \"name\" and \"condition\".");
        Faults.Unknown(Root, body, "name", "description", "condition");
        var name = body.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String && n.GetString() is { Length: > 0 and <= 200 } text
            ? text
            : Faults.At<string>("$.name", "Required: the segment's name, 1 to 200 characters.");
        string? description = null;
        if (body.TryGetProperty("description", out var d) && d.ValueKind != JsonValueKind.Null)
            description = d.ValueKind == JsonValueKind.String && d.GetString()!.Length <= 2000
                ? d.GetString()
                : Faults.At<string>("$.description", "A description is text of at most 2000 characters.");
        if (!body.TryGetProperty("condition", out var conditionJson))
            return Faults.At<ParsedDefinition>("$.condition", "Required: the condition tree that decides who is in the segment.");
        var condition = Read(conditionJson, "$.condition");
        return condition is null || name is null ? null
            : new ParsedDefinition(new SegmentDefinition(name, description, conditionJson.Clone()), condition, References);
    }

    protected override Condition? ReadKind(string kind, JsonElement node, string path, JsonElement value, string at, int depth) =>
        kind is "firstSeen" or "lastSeen" ? ReadSeen(node, path, kind, value, at) : ReadPerformed(node, path, value, at);

    private Condition? ReadSeen(JsonElement node, string path, string kind, JsonElement value, string at)
    {
        Faults.Unknown(path, node, kind);
        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("within", out var within))
            return Faults.At<Condition>(at, $"\"{kind}\" takes {{\"within\": duration}}, e.g. {{\"{kind}\": {{\"within\": \"7d\"}}}}.");
        Faults.Unknown(at, value, "within");
        if (ReadDuration(within, $"{at}.within") is not { } span) return null;
        var days = JsonSerializer.SerializeToElement(span.TotalDays);
        return new AgeTest(kind == "firstSeen" ? AgeField.FirstSeen : AgeField.LastSeen,
            [new Comparison(Operator.Lt, days, span.TotalDays)]);
    }

    private Condition? ReadPerformed(JsonElement node, string path, JsonElement value, string at)
    {
        Faults.Unknown(path, node, "performed", "type", "where", "atLeast", "atMost", "within", "notFollowedBy");
        var first = ReadEventMatch(node, path, value, at, "performed");
        var within = node.TryGetProperty("within", out var w) ? ReadDuration(w, $"{path}.within") : null;
        if (node.TryGetProperty("notFollowedBy", out var then))
        {
            if (node.TryGetProperty("atLeast", out _) || node.TryGetProperty("atMost", out _))
                Faults.Add($"{path}.notFollowedBy", "A sequence (\"notFollowedBy\") counts the latest occurrence only: drop \"atLeast\" and \"atMost\".");
            if (within is null && !node.TryGetProperty("within", out _))
                Faults.Add($"{path}.within", "Required with \"notFollowedBy\": how long after the first event the second must not come, e.g. \"24h\".");
            var thenAt = $"{path}.notFollowedBy";
            EventMatch? second = null;
            if (then.ValueKind == JsonValueKind.String) second = ReadEventMatch(default, thenAt, then, thenAt, null);
            else if (then.ValueKind == JsonValueKind.Object && then.TryGetProperty("performed", out var thenName))
            {
                Faults.Unknown(thenAt, then, "performed", "type", "where");
                second = ReadEventMatch(then, thenAt, thenName, $"{thenAt}.performed", "performed");
            }
            else Faults.Add(thenAt, "\"notFollowedBy\" takes an event name, or {\"performed\": name, \"type\"?, \"where\"?}.");
            return first is not null && second is not null && within is { } span ? new NotFollowedBy(first, second, span) : null;
        }
        var atLeast = ReadCount(node, path, "atLeast", minimum: 1);
        var atMost = ReadCount(node, path, "atMost", minimum: 0);
        if (atLeast is { } least && atMost is { } most && least > most)
            Faults.Add($"{path}.atMost", $"\"atMost\" ({most}) is below \"atLeast\" ({least}): nobody could be in the segment.");
        if (first is null || (node.TryGetProperty("within", out _) && within is null)) return null;
        return new EventCount(first, atMost is null ? atLeast ?? 1 : atLeast, atMost, within);
    }

    private EventMatch? ReadEventMatch(JsonElement node, string path, JsonElement name, string nameAt, string? nameKey)
    {
        if (name.ValueKind != JsonValueKind.String || name.GetString() is not { Length: > 0 and <= 200 } eventName)
            return Faults.At<EventMatch>(nameAt, "An event is named by a string, e.g. \"Product Added\".");
        var type = "track";
        if (nameKey is not null && node.TryGetProperty("type", out var t))
        {
            if (t.ValueKind == JsonValueKind.String && EventTypes.Contains(t.GetString())) type = t.GetString()!;
            else Faults.Add($"{path}.type", $"\"type\" is one of {string.Join(", ", EventTypes)} (default track).");
        }
        var where = new List<PropertyTest>();
        if (nameKey is not null && node.TryGetProperty("where", out var w))
        {
            if (w.ValueKind != JsonValueKind.Object)
                return Faults.At<EventMatch>($"{path}.where", "\"where\" maps property names (dotted paths under properties) to a value, an array of values, or comparisons.");
            foreach (var property in w.EnumerateObject())
            {
                var propertyAt = $"{path}.where.{property.Name}";
                var comparisons = property.Value.ValueKind switch
                {
                    JsonValueKind.Object => ReadComparisons(property.Value, propertyAt, null, kind: null),
                    JsonValueKind.Array => Operand(Operator.In, property.Value, propertyAt) is { } c ? [c] : null,
                    _ => Operand(Operator.Equals, property.Value, propertyAt) is { } c ? [c] : null,
                };
                if (comparisons is not null) where.Add(new PropertyTest(property.Name, comparisons));
            }
        }
        var canonical = type == "track" && CommerceEvents.ActionOf(eventName) is { } action ? "commerce:" + action : eventName;
        return new EventMatch(type, canonical, where);
    }

    private int? ReadCount(JsonElement node, string path, string key, int minimum)
    {
        if (!node.TryGetProperty(key, out var value)) return null;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var count) && count >= minimum && count <= MaxCount
            ? count
            : Faults.At<int?>($"{path}.{key}", $"\"{key}\" is a whole number from {minimum} to {MaxCount.ToString("N0", CultureInfo.InvariantCulture)}.");
    }

    private TimeSpan? ReadDuration(JsonElement value, string at) =>
        value.ValueKind == JsonValueKind.String && Durations.Parse(value.GetString()) is { } span
            ? span
            : Faults.At<TimeSpan?>(at, $"Takes {Durations.Rule}.");

}
