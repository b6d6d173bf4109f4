using Personalization.Recommendation.Experiments;
using Personalization.Recommendation.Scenarios;
using Personalization.Recommendation.Serving;
using Personalization.Recommendation.Serving.Rules;

namespace Personalization.Recommendation.Api;

/// <summary>
/// Validated options made servable: the request's own options over its experiment arm's settings over its scenario's
/// defaults, both sets of rules parsed; or the 400 that says why not. A person served under a scenario with a running
/// experiment is put in a variant (the same one every time) and the answer records it.
/// </summary>
public sealed class RequestResolver(ScenarioStore scenarios, ExperimentStore experiments)
{
    public sealed record Resolved(RecommendationOptions? Options, ItemRules Rules, IResult? Problem);

    public async Task<Resolved> ResolveAsync(string tenantId, RequestedOptions.Validated validated, string? person, CancellationToken ct)
    {
        if (validated.Options is not { } requested)
            return new(null, ItemRules.None, TypedResults.ValidationProblem(validated.Errors, title: "The request's options are not valid"));
        ScenarioDefinition? defaults = null;
        (ExperimentArm Arm, Variant Variant)? arm = null;
        if (requested.Scenario is { } name)
        {
            defaults = (await scenarios.FindAsync(tenantId, name, ct))?.Definition;
            if (defaults is null)
                return new(null, ItemRules.None, TypedResults.Problem(title: "Unknown scenario",
                    detail: $"There is no scenario '{name}' for this tenant (PUT /admin/tenants/{tenantId}/scenarios/{name} defines one).",
                    statusCode: StatusCodes.Status400BadRequest));
            arm = await experiments.ArmOfAsync(tenantId, ExperimentDefinition.ScenarioTarget(name), person, ct);
            defaults = arm?.Variant.Settings?.Over(defaults) ?? defaults;
        }
        if (ServingRequest.ParseRules(requested.Filter, requested.Boost, out var rules) is { } problem) return new(null, ItemRules.None, problem);
        if (defaults is not null && ServingRequest.ParseRules(defaults.Filter, defaults.Boost, out var scenarioRules) is null) rules = scenarioRules.And(rules);
        return new(requested.Resolve(defaults?.ToOptions()) with { Experiment = arm?.Arm, PopularityOnly = arm?.Variant.PopularityOnly ?? false }, rules, null);
    }
}
