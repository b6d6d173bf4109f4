using System.Globalization;
using System.Text.Json;
using Personalization.Contracts;
using Personalization.Contracts.Commerce;

namespace Personalization.Segmentation.Segments.Definitions;

/// <summary>
/// Reads a segment definition from JSON. Every fault is reported with the JSON path where it is (<c>$.condition.and[1].within</c>),
/// all at once, so one 400 tells the author everything to fix. The grammar is documented in the Segmentation README.
/// </summary>
public sealed class DefinitionParser
{
    public const int MaxDepth = 32;
    public const int MaxCount = 10_000;
    private const string Root = "$";

    private static readonly string[] Kinds = ["and", "or", "not", "trait", "profile", "performed", "firstSeen", "lastSeen", "segment"];
    private static readonly string[] EventTypes = ["track", "page", "screen", "identify", "group", "alias"];

    private static readonly Dictionary<string, Operator> Operators = new(StringComparer.Ordinal)
    {
        ["equals"] = Operator.Equals, ["notEquals"] = Operator.NotEquals, ["in"] = Operator.In, ["exists"] = Operator.Exists,
        ["gt"] = Operator.Gt, ["gte"] = Operator.Gte, ["lt"] = Operator.Lt, ["lte"] = Operator.Lte,
        ["before"] = Operator.Before, ["after"] = Operator.After, ["contains"] = Operator.Contains,
    };

    private readonly Dictionary<string, List<string>> _errors = [];
    private readonly List<SegmentReference> _references = [];

    private DefinitionParser() { }

    /// <summary>The parsed definition, or the faults by JSON path.</summary>
    public static (ParsedDefinition? Parsed, Dictionary<string, string[]> Errors) Parse(JsonElement body)
    {
        var parser = new DefinitionParser();
        var parsed = parser.ReadDefinition(body);
        return parser._errors.Count == 0
            ? (parsed, [])
            : (null, parser._errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
    }

    private ParsedDefinition? ReadDefinition(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
            return Fail<ParsedDefinition>(Root, "A segment definition is a JSON object with \"name\" and \"condition\".");
        RefuseUnknown(body, Root, "name", "description", "condition");
        var name = body.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String && n.GetString() is { Length: > 0 and <= 200 } text
            ? text
            : Fail<string>("$.name", "Required: the segment's name, 1 to 200 characters.");
        string? description = null;
        if (body.TryGetProperty("description", out var d) && d.ValueKind != JsonValueKind.Null)
            description = d.ValueKind == JsonValueKind.String && d.GetString()!.Length <= 2000
                ? d.GetString()
                : Fail<string>("$.description", "A description is text of at most 2000 characters.");
        if (!body.TryGetProperty("condition", out var conditionJson))
            return Fail<ParsedDefinition>("$.condition", "Required: the condition tree that decides who is in the segment.");
        var condition = ReadCondition(conditionJson, "$.condition", depth: 1);
        return condition is null || name is null ? null
            : new ParsedDefinition(new SegmentDefinition(name, description, conditionJson.Clone()), condition, _references);
    }

    private Condition? ReadCondition(JsonElement node, string path, int depth)
    {
        if (depth > MaxDepth) return Fail<Condition>(path, $"Conditions nest at most {MaxDepth} deep.");
        if (node.ValueKind != JsonValueKind.Object)
            return Fail<Condition>(path, $"A condition is a JSON object with one of: {string.Join(", ", Kinds)}.");
        var kinds = Kinds.Where(k => node.TryGetProperty(k, out _)).ToList();
        if (kinds.Count != 1)
            return Fail<Condition>(path, kinds.Count == 0
                ? $"A condition needs one of: {string.Join(", ", Kinds)}."
                : $"A condition has exactly one of {string.Join(", ", Kinds)}; this one has {string.Join(" and ", kinds)}.");
        var kind = kinds[0];
        var value = node.GetProperty(kind);
        var at = $"{path}.{kind}";
        switch (kind)
        {
            case "and" or "or":
                RefuseUnknown(node, path, kind);
                if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
                    return Fail<Condition>(at, $"\"{kind}\" takes a non-empty array of conditions.");
                var parts = value.EnumerateArray().Select((part, i) => ReadCondition(part, $"{at}[{i}]", depth + 1)).ToList();
                if (parts.Any(p => p is null)) return null;
                return kind == "and" ? new AllOf(parts!) : new AnyOf(parts!);
            case "not":
                RefuseUnknown(node, path, kind);
                return ReadCondition(value, at, depth + 1) is { } inner ? new Not(inner) : null;
            case "segment":
                RefuseUnknown(node, path, kind);
                if (value.ValueKind != JsonValueKind.String || !DefinitionIds.IsValid(value.GetString()!))
                    return Fail<Condition>(at, $"\"segment\" takes a segment id: {DefinitionIds.Rule}.");
                _references.Add(new SegmentReference(value.GetString()!, at));
                return new MemberOf(value.GetString()!);
            case "trait":
                return ReadTrait(node, path, value, at);
            case "profile":
                return ReadProfileField(node, path, value, at);
            case "firstSeen" or "lastSeen":
                return ReadSeen(node, path, kind, value, at);
            default:
                return ReadPerformed(node, path, value, at);
        }
    }

    private Condition? ReadTrait(JsonElement node, string path, JsonElement value, string at)
    {
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 and <= 200 } trait)
            return Fail<Condition>(at, "\"trait\" takes the trait's name.");
        var comparisons = ReadComparisons(node, path, "trait", kind: null);
        return comparisons is null ? null : new FieldTest(FieldSource.Trait, trait, comparisons);
    }

    private Condition? ReadProfileField(JsonElement node, string path, JsonElement value, string at)
    {
        var field = value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
        if (ProfileFields.TryGetAge(field, out var age))
            return ReadComparisons(node, path, "profile", FieldKind.Number) is { } ageTests ? new AgeTest(age, ageTests) : null;
        if (!ProfileFields.TryGetKind(field, out var kind))
            return Fail<Condition>(at, $"Unknown profile field '{field}'; the fields are: {string.Join(", ", ProfileFields.Names)}.");
        return ReadComparisons(node, path, "profile", kind) is { } tests ? new FieldTest(FieldSource.Profile, field, tests) : null;
    }

    private Condition? ReadSeen(JsonElement node, string path, string kind, JsonElement value, string at)
    {
        RefuseUnknown(node, path, kind);
        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("within", out var within))
            return Fail<Condition>(at, $"\"{kind}\" takes {{\"within\": duration}}, e.g. {{\"{kind}\": {{\"within\": \"7d\"}}}}.");
        RefuseUnknown(value, at, "within");
        if (ReadDuration(within, $"{at}.within") is not { } span) return null;
        var days = JsonSerializer.SerializeToElement(span.TotalDays);
        return new AgeTest(kind == "firstSeen" ? AgeField.FirstSeen : AgeField.LastSeen,
            [new Comparison(Operator.Lt, days, span.TotalDays)]);
    }

    private Condition? ReadPerformed(JsonElement node, string path, JsonElement value, string at)
    {
        RefuseUnknown(node, path, "performed", "type", "where", "atLeast", "atMost", "within", "notFollowedBy");
        var first = ReadEventMatch(node, path, value, at, "performed");
        var within = node.TryGetProperty("within", out var w) ? ReadDuration(w, $"{path}.within") : null;
        if (node.TryGetProperty("notFollowedBy", out var then))
        {
            if (node.TryGetProperty("atLeast", out _) || node.TryGetProperty("atMost", out _))
                Fail<Condition>($"{path}.notFollowedBy", "A sequence (\"notFollowedBy\") counts the latest occurrence only: drop \"atLeast\" and \"atMost\".");
            if (within is null && !node.TryGetProperty("within", out _))
                Fail<Condition>($"{path}.within", "Required with \"notFollowedBy\": how long after the first event the second must not come, e.g. \"24h\".");
            var thenAt = $"{path}.notFollowedBy";
            EventMatch? second = null;
            if (then.ValueKind == JsonValueKind.String) second = ReadEventMatch(default, thenAt, then, thenAt, null);
            else if (then.ValueKind == JsonValueKind.Object && then.TryGetProperty("performed", out var thenName))
            {
                RefuseUnknown(then, thenAt, "performed", "type", "where");
                second = ReadEventMatch(then, thenAt, thenName, $"{thenAt}.performed", "performed");
            }
            else Fail<Condition>(thenAt, "\"notFollowedBy\" takes an event name, or {\"performed\": name, \"type\"?, \"where\"?}.");
            return first is not null && second is not null && within is { } span ? new NotFollowedBy(first, second, span) : null;
        }
        var atLeast = ReadCount(node, path, "atLeast", minimum: 1);
        var atMost = ReadCount(node, path, "atMost", minimum: 0);
        if (atLeast is { } least && atMost is { } most && least > most)
            Fail<Condition>($"{path}.atMost", $"\"atMost\" ({most}) is below \"atLeast\" ({least}): nobody could be in the segment.");
        if (first is null || (node.TryGetProperty("within", out _) && within is null)) return null;
        return new EventCount(first, atMost is null ? atLeast ?? 1 : atLeast, atMost, within);
    }

    private EventMatch? ReadEventMatch(JsonElement node, string path, JsonElement name, string nameAt, string? nameKey)
    {
        if (name.ValueKind != JsonValueKind.String || name.GetString() is not { Length: > 0 and <= 200 } eventName)
            return Fail<EventMatch>(nameAt, "An event is named by a string, e.g. \"Product Added\".");
        var type = "track";
        if (nameKey is not null && node.TryGetProperty("type", out var t))
        {
            if (t.ValueKind == JsonValueKind.String && EventTypes.Contains(t.GetString())) type = t.GetString()!;
            else Fail<EventMatch>($"{path}.type", $"\"type\" is one of {string.Join(", ", EventTypes)} (default track).");
        }
        var where = new List<PropertyTest>();
        if (nameKey is not null && node.TryGetProperty("where", out var w))
        {
            if (w.ValueKind != JsonValueKind.Object)
                return Fail<EventMatch>($"{path}.where", "\"where\" maps property names (dotted paths under properties) to a value, an array of values, or comparisons.");
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

    /// <summary>The operator keys of a node (all but <paramref name="subjectKey"/>), each checked against the field's kind.</summary>
    private List<Comparison>? ReadComparisons(JsonElement node, string path, string? subjectKey, FieldKind? kind)
    {
        var comparisons = new List<Comparison>();
        var faulty = false;
        foreach (var property in node.EnumerateObject())
        {
            if (property.Name == subjectKey) continue;
            var at = $"{path}.{property.Name}";
            if (!Operators.TryGetValue(property.Name, out var op))
            {
                Fail<Comparison>(at, $"Unknown operator '{property.Name}'; the operators are: {string.Join(", ", Operators.Keys)}.");
                faulty = true;
                continue;
            }
            if (kind is { } k && !Allowed(op, k))
            {
                Fail<Comparison>(at, $"'{property.Name}' does not apply to a {k.ToString().ToLowerInvariant()} field.");
                faulty = true;
                continue;
            }
            if (Operand(op, property.Value, at) is { } comparison) comparisons.Add(comparison);
            else faulty = true;
        }
        if (comparisons.Count == 0 && !faulty)
            return Fail<List<Comparison>>(path, $"Say what to test with one of: {string.Join(", ", Operators.Keys)}.");
        return faulty ? null : comparisons;
    }

    private static bool Allowed(Operator op, FieldKind kind) => kind switch
    {
        FieldKind.Number => op is not (Operator.Before or Operator.After or Operator.Contains),
        FieldKind.Text => op is Operator.Equals or Operator.NotEquals or Operator.In or Operator.Exists or Operator.Contains,
        _ => op is Operator.Before or Operator.After or Operator.Exists,
    };

    private Comparison? Operand(Operator op, JsonElement operand, string at)
    {
        switch (op)
        {
            case Operator.Exists:
                return operand.ValueKind is JsonValueKind.True or JsonValueKind.False
                    ? new Comparison(op, operand.Clone())
                    : Fail<Comparison>(at, "\"exists\" takes true or false.");
            case Operator.Equals or Operator.NotEquals:
                return FieldValue.Scalar(operand) is not null
                    ? new Comparison(op, operand.Clone())
                    : Fail<Comparison>(at, "Compares with a string, a number or a boolean.");
            case Operator.Contains:
                return operand.ValueKind == JsonValueKind.String
                    ? new Comparison(op, operand.Clone())
                    : Fail<Comparison>(at, "\"contains\" takes a string.");
            case Operator.In:
                return operand.ValueKind == JsonValueKind.Array && operand.GetArrayLength() is > 0 and <= 1000
                       && operand.EnumerateArray().All(o => FieldValue.Scalar(o) is not null)
                    ? new Comparison(op, operand.Clone())
                    : Fail<Comparison>(at, "\"in\" takes an array of 1 to 1000 strings, numbers or booleans.");
            case Operator.Before or Operator.After:
                return operand.ValueKind == JsonValueKind.String && FieldValue.Of(operand.GetString()).Instant is { } instant
                    ? new Comparison(op, operand.Clone(), Instant: instant)
                    : Fail<Comparison>(at, "Takes an ISO 8601 date or date-time, e.g. \"2026-01-31\" or \"2026-01-31T12:00:00Z\".");
            default:
                return operand.ValueKind == JsonValueKind.Number && double.IsFinite(operand.GetDouble())
                    ? new Comparison(op, operand.Clone(), operand.GetDouble())
                    : Fail<Comparison>(at, "Takes a number.");
        }
    }

    private int? ReadCount(JsonElement node, string path, string key, int minimum)
    {
        if (!node.TryGetProperty(key, out var value)) return null;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var count) && count >= minimum && count <= MaxCount
            ? count
            : Fail<int?>($"{path}.{key}", $"\"{key}\" is a whole number from {minimum} to {MaxCount.ToString("N0", CultureInfo.InvariantCulture)}.");
    }

    private TimeSpan? ReadDuration(JsonElement value, string at) =>
        value.ValueKind == JsonValueKind.String && Durations.Parse(value.GetString()) is { } span
            ? span
            : Fail<TimeSpan?>(at, $"Takes {Durations.Rule}.");

    private void RefuseUnknown(JsonElement node, string path, params string[] known)
    {
        foreach (var property in node.EnumerateObject())
            if (!known.Contains(property.Name))
                Fail<object>($"{path}.{property.Name}", $"Unknown key here; expected: {string.Join(", ", known)}.");
    }

    private T? Fail<T>(string path, string message)
    {
        if (!_errors.TryGetValue(path, out var messages)) _errors[path] = messages = [];
        messages.Add(message);
        return default;
    }
}
