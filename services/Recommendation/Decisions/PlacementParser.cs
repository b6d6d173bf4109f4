using System.Text.Json;
using Personalization.Contracts;
using Personalization.Contracts.Conditions;

namespace Personalization.Recommendation.Decisions;

/// <summary>A test of the request's context: <c>{"context": "device", "equals": "mobile"}</c>.</summary>
public sealed record ContextTest(string Field, IReadOnlyList<Comparison> Comparisons) : Condition;

/// <summary>A rule of a placement: when its condition holds (none: always), the content to show.</summary>
public sealed record PlacementRule(string Id, Condition? If, JsonElement Content);

/// <summary>A placement's rules in order, and what to show when none matches (null: nothing).</summary>
public sealed record ParsedPlacement(IReadOnlyList<PlacementRule> Rules, JsonElement? Fallback);

/// <summary>
/// Reads a placement's rules from JSON, every fault under its path (<c>$.rules[1].if.context</c>). A rule's
/// condition is the grammar segments and journey branches share (<c>and</c>, <c>or</c>, <c>not</c>, <c>segment</c>,
/// <c>trait</c>, <c>profile</c>, the cart as <c>{"profile": "cartValue", "gt": 100}</c>) plus <c>context</c>:
/// <code>
/// {"rules": [{"id": "big-cart", "if": {"profile": "cartValue", "gt": 100}, "content": {"banner": "free-shipping", "code": "SHIP100"}},
///            {"id": "mobile", "if": {"context": "device", "equals": "mobile"}, "content": {"layout": "compact"}}],
///  "fallback": {"banner": "welcome"}}
/// </code>
/// </summary>
public sealed class PlacementParser : ConditionReader
{
    public const int MaxRules = 100;
    public const int MaxContentBytes = 16 * 1024;
    private const string Root = "$";
    private static readonly string[] DecisionKinds = [.. ProfileKinds, "context"];

    private PlacementParser(Faults faults) : base(faults) { }

    protected override IReadOnlyList<string> Kinds => DecisionKinds;

    public static (ParsedPlacement? Parsed, Dictionary<string, string[]> Errors) Parse(JsonElement body)
    {
        var faults = new Faults();
        var parsed = new PlacementParser(faults).ReadPlacement(body);
        return faults.Any ? (null, faults.ToDictionary()) : (parsed, []);
    }

    private ParsedPlacement? ReadPlacement(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
            return Faults.At<ParsedPlacement>(Root, "A placement is a JSON object with \"rules\" and optionally \"fallback\" and \"note\".");
        Faults.Unknown(Root, body, "rules", "fallback", "note");
        if (!body.TryGetProperty("rules", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() > MaxRules)
            return Faults.At<ParsedPlacement>("$.rules", $"Required: an array of up to {MaxRules} rules, {{\"id\": ..., \"if\": condition, \"content\": {{...}}}}, tried in order.");
        var rules = list.EnumerateArray().Select((rule, i) => ReadRule(rule, $"$.rules[{i}]")).ToList();
        foreach (var repeated in rules.OfType<PlacementRule>().GroupBy(r => r.Id).Where(g => g.Count() > 1))
            Faults.Add("$.rules", $"Rule ids must differ; '{repeated.Key}' is used more than once.");
        JsonElement? fallback = body.TryGetProperty("fallback", out var f) && f.ValueKind != JsonValueKind.Null ? ReadContent(f, "$.fallback") : null;
        if (body.TryGetProperty("note", out var note) && note.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            Faults.Add("$.note", "A note is text: what changed and why.");
        return rules.Any(r => r is null) ? null : new ParsedPlacement(rules!, fallback);
    }

    private PlacementRule? ReadRule(JsonElement rule, string path)
    {
        if (rule.ValueKind != JsonValueKind.Object) return Faults.At<PlacementRule>(path, "A rule is an object: {\"id\": ..., \"if\": condition, \"content\": {...}}.");
        Faults.Unknown(path, rule, "id", "if", "content");
        var id = Faults.RequiredText(path, rule, "id");
        if (id is not null && !DefinitionIds.IsValid(id)) id = Faults.At<string>($"{path}.id", $"A rule id is {DefinitionIds.Rule}.");
        var condition = rule.TryGetProperty("if", out var when) ? Read(when, $"{path}.if") : null;
        var content = rule.TryGetProperty("content", out var c) ? ReadContent(c, $"{path}.content") : Faults.At<JsonElement?>($"{path}.content", "Required: the content to show, a JSON object.");
        var faulty = id is null || content is null || rule.TryGetProperty("if", out _) && condition is null;
        return faulty ? null : new PlacementRule(id!, condition, content!.Value.Clone());
    }

    private JsonElement? ReadContent(JsonElement content, string path)
    {
        if (content.ValueKind != JsonValueKind.Object) return Faults.At<JsonElement?>(path, "Content is a JSON object the tenant defines (a banner id, a discount code, a layout).");
        if (content.GetRawText().Length > MaxContentBytes) return Faults.At<JsonElement?>(path, $"Content is at most {MaxContentBytes} bytes of JSON.");
        return content.Clone();
    }

    protected override Condition? ReadKind(string kind, JsonElement node, string path, JsonElement value, string at, int depth)
    {
        if (value.ValueKind != JsonValueKind.String || !DecisionContext.TryGetKind(value.GetString()!, out var fieldKind))
            return Faults.At<Condition>(at, $"Unknown context field; the fields are: {string.Join(", ", DecisionContext.Fields)}.");
        return ReadComparisons(node, path, "context", fieldKind) is { } tests ? new ContextTest(value.GetString()!, tests) : null;
    }
}
