using System.Text.Json;
using Personalization.Contracts;
using Personalization.Recommendation.Api;
using Personalization.Recommendation.Scenarios;
using Personalization.Recommendation.Serving;

namespace Personalization.Recommendation.Experiments;

/// <summary>
/// An experiment's JSON body, checked field by field, every mistake keyed by its path (<c>variants[1].weight</c>):
/// <code>
/// {"scenario": "homepage", "control": "current", "expectedEffect": 0.1,
///  "variants": [{"name": "current", "weight": 45}, {"name": "v7", "weight": 45, "settings": {"modelVersion": 7}},
///               {"name": "holdout", "weight": 10, "popularityOnly": true}]}
/// </code>
/// </summary>
public static class ExperimentRequest
{
    public const int MaxVariants = 10;

    public sealed record Parsed(ExperimentDefinition? Definition, Dictionary<string, string[]> Errors);

    public static Parsed Parse(JsonElement body)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.ValueKind != JsonValueKind.Object) return new(null, new() { [""] = ["The body must be a JSON object."] });
        var scenario = JsonFields.Text(body, "scenario");
        if (scenario is null || !Scenario.IsValidName(scenario))
            errors["scenario"] = [$"'scenario' must name the scenario the experiment runs on ({Scenario.NameRule})."];
        var variants = new List<Variant>();
        if (!body.TryGetProperty("variants", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() is < 2 or > MaxVariants)
            errors["variants"] = [$"'variants' must be an array of 2 to {MaxVariants} variants: {{\"name\": ..., \"weight\": ..., \"settings\": {{...}}}}."];
        else
        {
            var index = 0;
            foreach (var element in list.EnumerateArray())
                if (ParseVariant(element, $"variants[{index++}]", errors) is { } variant) variants.Add(variant);
            foreach (var repeated in variants.GroupBy(v => v.Name).Where(g => g.Count() > 1))
                errors["variants"] = [$"Variant names must differ; '{repeated.Key}' is used more than once."];
            if (variants.Count == list.GetArrayLength() && variants.Sum(v => v.Weight) <= 0)
                errors["variants"] = ["At least one variant needs a weight above 0."];
        }
        var control = JsonFields.Text(body, "control") ?? variants.FirstOrDefault()?.Name;
        if (control is not null && variants.Count > 0 && variants.All(v => v.Name != control))
            errors["control"] = [$"'control' must name one of the variants; there is no '{control}'."];
        else if (variants.FirstOrDefault(v => v.Name == control) is { PopularityOnly: true })
            errors["control"] = ["The control is what runs today; a popularity-only holdout is compared with it, not the other way round."];
        var effect = (double?)JsonFields.Number(body, "expectedEffect") ?? ExperimentDefinition.DefaultExpectedEffect;
        if (body.TryGetProperty("expectedEffect", out var e) && e.ValueKind is not (JsonValueKind.Number or JsonValueKind.Null) || effect is <= 0 or > 10)
            errors["expectedEffect"] = ["'expectedEffect' is the relative change in CTR to detect, a number above 0 and at most 10 (0.1 = +10%)."];
        var note = JsonFields.Text(body, "note");
        return errors.Count > 0 ? new(null, errors) : new(new ExperimentDefinition(scenario!, variants, control!, effect, note), errors);
    }

    private static Variant? ParseVariant(JsonElement element, string path, Dictionary<string, string[]> errors)
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
        var popularityOnly = element.TryGetProperty("popularityOnly", out var p) && p.ValueKind == JsonValueKind.True;
        if (p.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
            errors[path + ".popularityOnly"] = ["'popularityOnly' is true or false."];
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
        return errors.Count > before ? null : new Variant(name!, weight, settings, popularityOnly);
    }
}
