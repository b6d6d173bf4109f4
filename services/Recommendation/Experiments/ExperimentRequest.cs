using System.Text.Json;
using Personalization.Contracts;
using Personalization.Recommendation.Api;
using Personalization.Recommendation.Scenarios;
using Personalization.Recommendation.Serving;

namespace Personalization.Recommendation.Experiments;

/// <summary>
/// An experiment's JSON body, checked field by field, every mistake keyed by its path (<c>variants[1].weight</c>).
/// On a scenario:
/// <code>
/// {"scenario": "homepage", "control": "current", "expectedEffect": 0.1,
///  "variants": [{"name": "current", "weight": 45}, {"name": "v7", "weight": 45, "settings": {"modelVersion": 7}},
///               {"name": "holdout", "weight": 10, "popularityOnly": true}]}
/// </code>
/// On a placement: <c>{"placement": "checkout-offer", "variants": [{"name": "v3", "weight": 1, "placementVersion": 3},
/// {"name": "v4", "weight": 1, "placementVersion": 4}, {"name": "none", "weight": 1, "fallbackOnly": true}]}</c>.
/// </summary>
public static class ExperimentRequest
{
    public const int MaxVariants = 10;

    public sealed record Parsed(ExperimentDefinition? Definition, Dictionary<string, string[]> Errors);

    public static Parsed Parse(JsonElement body)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.ValueKind != JsonValueKind.Object) return new(null, new() { [""] = ["The body must be a JSON object."] });
        var (scenario, placement) = (JsonFields.Text(body, "scenario"), JsonFields.Text(body, "placement"));
        if ((scenario is null) == (placement is null))
            errors["scenario"] = ["An experiment runs on a 'scenario' (recommendations) or on a 'placement' (content decisions): name one of them."];
        else if (scenario is not null && !Scenario.IsValidName(scenario))
            errors["scenario"] = [$"'scenario' must name the scenario the experiment runs on ({Scenario.NameRule})."];
        else if (placement is not null && !DefinitionIds.IsValid(placement))
            errors["placement"] = [$"'placement' must name the placement the experiment runs on ({DefinitionIds.Rule})."];
        var variants = new List<Variant>();
        if (!body.TryGetProperty("variants", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() is < 2 or > MaxVariants)
            errors["variants"] = [$"'variants' must be an array of 2 to {MaxVariants} variants: {{\"name\": ..., \"weight\": ..., \"settings\": {{...}}}}."];
        else
        {
            var index = 0;
            foreach (var element in list.EnumerateArray())
                if (ParseVariant(element, $"variants[{index++}]", onPlacement: placement is not null, errors) is { } variant) variants.Add(variant);
            foreach (var repeated in variants.GroupBy(v => v.Name).Where(g => g.Count() > 1))
                errors["variants"] = [$"Variant names must differ; '{repeated.Key}' is used more than once."];
            if (variants.Count == list.GetArrayLength() && variants.Sum(v => v.Weight) <= 0)
                errors["variants"] = ["At least one variant needs a weight above 0."];
        }
        var control = JsonFields.Text(body, "control") ?? variants.FirstOrDefault()?.Name;
        if (control is not null && variants.Count > 0 && variants.All(v => v.Name != control))
            errors["control"] = [$"'control' must name one of the variants; there is no '{control}'."];
        else if (variants.FirstOrDefault(v => v.Name == control) is { IsHoldout: true })
            errors["control"] = ["The control is what runs today; a holdout is compared with it, not the other way round."];
        var effect = (double?)JsonFields.Number(body, "expectedEffect") ?? ExperimentDefinition.DefaultExpectedEffect;
        if (body.TryGetProperty("expectedEffect", out var e) && e.ValueKind is not (JsonValueKind.Number or JsonValueKind.Null) || effect is <= 0 or > 10)
            errors["expectedEffect"] = ["'expectedEffect' is the relative change in CTR to detect, a number above 0 and at most 10 (0.1 = +10%)."];
        var note = JsonFields.Text(body, "note");
        return errors.Count > 0 ? new(null, errors) : new(new ExperimentDefinition(scenario, placement, variants, control!, effect, note), errors);
    }

    private static Variant? ParseVariant(JsonElement element, string path, bool onPlacement, Dictionary<string, string[]> errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors[path] = ["A variant must be an object: {\"name\": ..., \"weight\": ...}."];
            return null;
        }
        var before = errors.Count;
        var name = JsonFields.Text(element, "name");
        if (name is null || !DefinitionIds.IsValid(name)) errors[path + ".name"] = [$"A variant's name is {DefinitionIds.Rule}."];
        var weight = element.TryGetProperty("weight", out var w) && w.ValueKind == JsonValueKind.Number ? w.GetDouble() : -1;
        if (weight is < 0 or > 1_000_000) errors[path + ".weight"] = ["A variant's weight is a number from 0 to 1000000; weights are relative to each other."];
        var popularityOnly = Flag(element, "popularityOnly", path, errors);
        var fallbackOnly = Flag(element, "fallbackOnly", path, errors);
        int? placementVersion = null;
        if (element.TryGetProperty("placementVersion", out var pv) && pv.ValueKind != JsonValueKind.Null)
            placementVersion = pv.ValueKind == JsonValueKind.Number && pv.TryGetInt32(out var number) && number >= 1
                ? number
                : Refuse<int>(path + ".placementVersion", "'placementVersion' is the number of one of the placement's versions (1 or more).");
        var wrongKind = onPlacement
            ? new[] { ("settings", element.TryGetProperty("settings", out var ws) && ws.ValueKind != JsonValueKind.Null), ("popularityOnly", popularityOnly) }
            : [("placementVersion", placementVersion is not null), ("fallbackOnly", fallbackOnly)];
        foreach (var (field, given) in wrongKind.Where(w => w.Item2))
            errors[$"{path}.{field}"] = [onPlacement
                ? $"'{field}' belongs to a variant of a scenario; a placement's variant names a 'placementVersion' or is 'fallbackOnly'."
                : $"'{field}' belongs to a variant of a placement; a scenario's variant has 'settings' or is 'popularityOnly'."];
        ScenarioDefinition? settings = null;
        if (element.TryGetProperty("settings", out var s) && s.ValueKind != JsonValueKind.Null)
        {
            var validated = RequestedOptions.FromJson(s);
            foreach (var (key, messages) in validated.Errors) errors[$"{path}.settings{(key.Length > 0 ? "." + key : "")}"] = messages;
            if (validated.Options is { } options)
            {
                if (options.Scenario is not null || options.Context != new RequestContext())
                    errors[path + ".settings"] = ["A variant's settings are a scenario's (filter, boost, count, diversity, maxPerCategory, exclude, modelVersion); 'scenario' and 'context' belong to each request."];
                else if (ServingRequest.RuleMistake(options.Filter, options.Boost) is var (parameter, message))
                    errors[$"{path}.settings.{parameter}"] = [message];
                else settings = ScenarioDefinition.From(options);
            }
        }
        return errors.Count > before ? null : new Variant(name!, weight, settings, popularityOnly, placementVersion, fallbackOnly);

        T? Refuse<T>(string at, string message) where T : struct
        {
            errors[at] = [message];
            return null;
        }
    }

    private static bool Flag(JsonElement element, string name, string path, Dictionary<string, string[]> errors)
    {
        if (!element.TryGetProperty(name, out var value)) return false;
        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null)) errors[$"{path}.{name}"] = [$"'{name}' is true or false."];
        return value.ValueKind == JsonValueKind.True;
    }
}
