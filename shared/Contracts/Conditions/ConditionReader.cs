using System.Text.Json;

namespace Personalization.Contracts.Conditions;

/// <summary>
/// Reads a condition tree from JSON into <see cref="Condition"/>s, each fault under its JSON path in
/// <see cref="Faults"/>, so one 400 lists everything to fix. This reads the kinds a person's profile decides
/// (<c>and</c>, <c>or</c>, <c>not</c>, <c>segment</c>, <c>trait</c>, <c>profile</c>); a reader for segments adds
/// the kinds about events through <see cref="Kinds"/> and <see cref="ReadKind"/>. The grammar is documented in the
/// Segmentation README.
/// </summary>
public class ConditionReader(Faults faults)
{
    public const int MaxDepth = 32;

    protected static readonly string[] ProfileKinds = ["and", "or", "not", "segment", "trait", "profile"];

    private static readonly Dictionary<string, Operator> Operators = new(StringComparer.Ordinal)
    {
        ["equals"] = Operator.Equals, ["notEquals"] = Operator.NotEquals, ["in"] = Operator.In, ["exists"] = Operator.Exists,
        ["gt"] = Operator.Gt, ["gte"] = Operator.Gte, ["lt"] = Operator.Lt, ["lte"] = Operator.Lte,
        ["before"] = Operator.Before, ["after"] = Operator.After, ["contains"] = Operator.Contains,
    };

    private readonly List<SegmentReference> _references = [];

    protected Faults Faults => faults;

    /// <summary>The segments the conditions read so far name, with where.</summary>
    public IReadOnlyList<SegmentReference> References => _references;

    /// <summary>The keys that say what a condition is.</summary>
    protected virtual IReadOnlyList<string> Kinds => ProfileKinds;

    public const string AnySegmentIdRule = "a segment id (a rule segment's, or a discovered one such as \"rfm.champions\")";

    /// <summary>Whether <paramref name="id"/> could name a segment: a rule segment's id, or a discovered one.</summary>
    public static bool IsAnySegmentId(string id) => id.Length is > 0 and <= 128 && !id.Any(char.IsWhiteSpace);

    /// <summary>Whether <paramref name="id"/> may name a segment here.</summary>
    protected virtual bool IsSegmentId(string id) => IsAnySegmentId(id);

    protected virtual string SegmentIdRule => AnySegmentIdRule;

    /// <summary>The condition at <paramref name="path"/>, or null with its faults added.</summary>
    public Condition? Read(JsonElement node, string path, int depth = 1)
    {
        if (depth > MaxDepth) return faults.At<Condition>(path, $"Conditions nest at most {MaxDepth} deep.");
        var kinds = node.ValueKind == JsonValueKind.Object ? Kinds.Where(k => node.TryGetProperty(k, out _)).ToList() : [];
        if (kinds.Count != 1)
        {
            if (kinds.Count > 1)
                return faults.At<Condition>(path, $"A condition has exactly one of {string.Join(", ", Kinds)}; this one has {string.Join(" and ", kinds)}.");
            if (node.ValueKind != JsonValueKind.Object || !node.EnumerateObject().Any())
                return faults.At<Condition>(path, $"A condition is a JSON object with one of: {string.Join(", ", Kinds)}.");
            foreach (var property in node.EnumerateObject())
                faults.Add($"{path}.{property.Name}", $"Unknown condition; a condition has one of: {string.Join(", ", Kinds)}.");
            return null;
        }
        var kind = kinds[0];
        var value = node.GetProperty(kind);
        var at = $"{path}.{kind}";
        switch (kind)
        {
            case "and" or "or":
                faults.Unknown(path, node, kind);
                if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
                    return faults.At<Condition>(at, $"\"{kind}\" takes a non-empty array of conditions.");
                var parts = value.EnumerateArray().Select((part, i) => Read(part, $"{at}[{i}]", depth + 1)).ToList();
                if (parts.Any(p => p is null)) return null;
                return kind == "and" ? new AllOf(parts!) : new AnyOf(parts!);
            case "not":
                faults.Unknown(path, node, kind);
                return Read(value, at, depth + 1) is { } inner ? new Not(inner) : null;
            case "segment":
                faults.Unknown(path, node, kind);
                if (value.ValueKind != JsonValueKind.String || !IsSegmentId(value.GetString()!))
                    return faults.At<Condition>(at, $"\"segment\" takes {SegmentIdRule}.");
                _references.Add(new SegmentReference(value.GetString()!, at));
                return new MemberOf(value.GetString()!);
            case "trait":
                if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 and <= 200 } trait)
                    return faults.At<Condition>(at, "\"trait\" takes the trait's name.");
                return ReadComparisons(node, path, "trait", kind: null) is { } traitTests ? new FieldTest(FieldSource.Trait, trait, traitTests) : null;
            case "profile":
                return ReadProfileField(node, path, value, at);
            default:
                return ReadKind(kind, node, path, value, at, depth);
        }
    }

    /// <summary>Reads a kind this reader's <see cref="Kinds"/> adds.</summary>
    protected virtual Condition? ReadKind(string kind, JsonElement node, string path, JsonElement value, string at, int depth) =>
        throw new NotSupportedException(kind);

    private Condition? ReadProfileField(JsonElement node, string path, JsonElement value, string at)
    {
        var field = value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
        if (ProfileFields.TryGetAge(field, out var age))
            return ReadComparisons(node, path, "profile", FieldKind.Number) is { } ageTests ? new AgeTest(age, ageTests) : null;
        if (!ProfileFields.TryGetKind(field, out var kind))
            return faults.At<Condition>(at, $"Unknown profile field '{field}'; the fields are: {string.Join(", ", ProfileFields.Names)}.");
        return ReadComparisons(node, path, "profile", kind) is { } tests ? new FieldTest(FieldSource.Profile, field, tests) : null;
    }

    /// <summary>The operator keys of a node (all but <paramref name="subjectKey"/>), each checked against the field's kind.</summary>
    protected List<Comparison>? ReadComparisons(JsonElement node, string path, string? subjectKey, FieldKind? kind)
    {
        var comparisons = new List<Comparison>();
        var faulty = false;
        foreach (var property in node.EnumerateObject())
        {
            if (property.Name == subjectKey) continue;
            var at = $"{path}.{property.Name}";
            if (!Operators.TryGetValue(property.Name, out var op))
            {
                faults.Add(at, $"Unknown operator '{property.Name}'; the operators are: {string.Join(", ", Operators.Keys)}.");
                faulty = true;
                continue;
            }
            if (kind is { } k && !Allowed(op, k))
            {
                faults.Add(at, $"'{property.Name}' does not apply to a {k.ToString().ToLowerInvariant()} field.");
                faulty = true;
                continue;
            }
            if (Operand(op, property.Value, at) is { } comparison) comparisons.Add(comparison);
            else faulty = true;
        }
        if (comparisons.Count == 0 && !faulty)
            return faults.At<List<Comparison>>(path, $"Say what to test with one of: {string.Join(", ", Operators.Keys)}.");
        return faulty ? null : comparisons;
    }

    private static bool Allowed(Operator op, FieldKind kind) => kind switch
    {
        FieldKind.Number => op is not (Operator.Before or Operator.After or Operator.Contains),
        FieldKind.Text => op is Operator.Equals or Operator.NotEquals or Operator.In or Operator.Exists or Operator.Contains,
        _ => op is Operator.Before or Operator.After or Operator.Exists,
    };

    /// <summary>One operator's operand, checked for what the operator takes.</summary>
    protected Comparison? Operand(Operator op, JsonElement operand, string at)
    {
        switch (op)
        {
            case Operator.Exists:
                return operand.ValueKind is JsonValueKind.True or JsonValueKind.False
                    ? new Comparison(op, operand.Clone())
                    : faults.At<Comparison>(at, "\"exists\" takes true or false.");
            case Operator.Equals or Operator.NotEquals:
                return FieldValue.Scalar(operand) is not null
                    ? new Comparison(op, operand.Clone())
                    : faults.At<Comparison>(at, "Compares with a string, a number or a boolean.");
            case Operator.Contains:
                return operand.ValueKind == JsonValueKind.String
                    ? new Comparison(op, operand.Clone())
                    : faults.At<Comparison>(at, "\"contains\" takes a string.");
            case Operator.In:
                return operand.ValueKind == JsonValueKind.Array && operand.GetArrayLength() is > 0 and <= 1000
                       && operand.EnumerateArray().All(o => FieldValue.Scalar(o) is not null)
                    ? new Comparison(op, operand.Clone())
                    : faults.At<Comparison>(at, "\"in\" takes an array of 1 to 1000 strings, numbers or booleans.");
            case Operator.Before or Operator.After:
                return operand.ValueKind == JsonValueKind.String && FieldValue.Of(operand.GetString()).Instant is { } instant
                    ? new Comparison(op, operand.Clone(), Instant: instant)
                    : faults.At<Comparison>(at, "Takes an ISO 8601 date or date-time, e.g. \"2026-01-31\" or \"2026-01-31T12:00:00Z\".");
            default:
                return operand.ValueKind == JsonValueKind.Number && double.IsFinite(operand.GetDouble())
                    ? new Comparison(op, operand.Clone(), operand.GetDouble())
                    : faults.At<Comparison>(at, "Takes a number.");
        }
    }
}
