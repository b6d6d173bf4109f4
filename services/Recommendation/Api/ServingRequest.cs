using Personalization.Recommendation.Scenarios;
using Personalization.Recommendation.Serving;
using Personalization.Recommendation.Serving.Rules;

namespace Personalization.Recommendation.Api;

/// <summary>Validated options made servable: the scenario's defaults under them and both sets of rules parsed, or the 400 that says why not.</summary>
public static class ServingRequest
{
    public sealed record Resolved(RecommendationOptions? Options, ItemRules Rules, IResult? Problem);

    public static async Task<Resolved> ResolveAsync(string tenantId, RequestedOptions.Validated validated, ScenarioStore scenarios, CancellationToken ct)
    {
        if (validated.Options is not { } requested)
            return new(null, ItemRules.None, TypedResults.ValidationProblem(validated.Errors, title: "The request's options are not valid"));
        ScenarioDefinition? defaults = null;
        if (requested.Scenario is { } name)
        {
            defaults = (await scenarios.FindAsync(tenantId, name, ct))?.Definition;
            if (defaults is null)
                return new(null, ItemRules.None, TypedResults.Problem(title: "Unknown scenario",
                    detail: $"There is no scenario '{name}' for this tenant (PUT /admin/tenants/{tenantId}/scenarios/{name} defines one).",
                    statusCode: StatusCodes.Status400BadRequest));
        }
        if (ParseRules(requested.Filter, requested.Boost, out var rules) is { } problem) return new(null, ItemRules.None, problem);
        if (defaults is not null && ParseRules(defaults.Filter, defaults.Boost, out var scenarioRules) is null) rules = scenarioRules.And(rules);
        return new(requested.Resolve(defaults?.ToOptions()), rules, null);
    }

    public static IResult UnknownVersion(string tenantId, int version) => TypedResults.ValidationProblem(
        new Dictionary<string, string[]> { ["modelVersion"] = [$"Tenant '{tenantId}' has no model version {version} (GET /admin/tenants/{tenantId}/models lists them)."] },
        title: "Unknown model version");

    /// <summary>The rules of a filter and a boost expression, either absent; or a 400 naming the expression and the position of its mistake.</summary>
    public static IResult? ParseRules(string? filter, string? boost, out ItemRules rules)
    {
        rules = ItemRules.None;
        if (filter is null && boost is null) return null;
        var (parameter, text) = ("filter", filter);
        try
        {
            var condition = filter is null ? null : RuleParser.ParseCondition(filter);
            (parameter, text) = ("boost", boost);
            rules = new ItemRules(condition, boost is null ? [] : RuleParser.ParseBoosts(boost));
            return null;
        }
        catch (RuleSyntaxException ex)
        {
            return TypedResults.Problem(title: $"The {parameter} is not valid", detail: $"At position {ex.Position}: {ex.Message}.",
                statusCode: StatusCodes.Status400BadRequest,
                extensions: new Dictionary<string, object?> { ["parameter"] = parameter, ["position"] = ex.Position, ["expression"] = text });
        }
    }
}
