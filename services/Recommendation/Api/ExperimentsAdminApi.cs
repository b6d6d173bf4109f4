using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Personalization.Contracts;
using Personalization.Recommendation.Attribution;
using Personalization.Recommendation.Decisions;
using Personalization.Recommendation.Experiments;
using Personalization.Recommendation.Models;
using Personalization.Recommendation.Scenarios;
using Personalization.ServiceDefaults;

namespace Personalization.Recommendation.Api;

/// <summary>
/// A tenant's A/B experiments on scenarios and placements: define one (it runs at once), change its weights for new people, read it
/// with how many people each variant has, read its results, and stop it, promoting a variant's settings into the scenario in the same call.
/// </summary>
public static class ExperimentsAdminApi
{
    public static IEndpointRouteBuilder MapExperimentsAdminApi(this IEndpointRouteBuilder app)
    {
        var experiments = app.MapGroup("/admin/tenants/{tenantId}/experiments").RequireAdmin().WithTags("Experiments");
        experiments.MapPut("/{experimentId}", PutAsync).WithSummary("Create or change an experiment").AcceptsJson("ExperimentRequest")
            .Produces<Experiment>(StatusCodes.Status201Created).Produces<Experiment>(StatusCodes.Status200OK);
        experiments.MapGet("/", async (string tenantId, ExperimentStore store, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(tenantId, ct))).WithSummary("List the tenant's experiments");
        experiments.MapGet("/{experimentId}", async Task<Results<Ok<ExperimentView>, ProblemHttpResult>> (string tenantId, string experimentId, ExperimentStore store,
            CancellationToken ct) =>
            await store.GetAsync(tenantId, experimentId, ct) is { } experiment
                ? TypedResults.Ok(new ExperimentView(experiment, await store.PeopleAsync(tenantId, experimentId, ct)))
                : NotFound(tenantId, experimentId)).WithSummary("Read an experiment");
        experiments.MapPost("/{experimentId}/stop", StopAsync).WithSummary("Stop an experiment").AcceptsJson("ExperimentStopRequest", required: false)
            .Produces<ExperimentStopped>(StatusCodes.Status200OK);
        experiments.MapGet("/{experimentId}/results", async Task<Results<Ok<ExperimentResults>, ProblemHttpResult>> (string tenantId, string experimentId,
            ExperimentStore store, AttributionStore attribution, IOptions<AttributionSettings> settings, CancellationToken ct) =>
            await store.GetAsync(tenantId, experimentId, ct) is { } experiment
                ? TypedResults.Ok(ExperimentResults.Of(experiment, await store.PeopleAsync(tenantId, experimentId, ct),
                    await attribution.ExperimentAsync(tenantId, experimentId, settings.Value.Window, ct)))
                : NotFound(tenantId, experimentId)).WithSummary("An experiment's results per variant, with intervals");
        return app;
    }

    private static async Task<IResult> PutAsync(string tenantId, string experimentId, HttpRequest request, ExperimentStore store, ScenarioStore scenarios,
        PlacementStore placements, ModelRegistry registry, CancellationToken ct)
    {
        if (!DefinitionIds.IsValid(experimentId))
            return Invalid(new() { ["experimentId"] = [$"An experiment id is {DefinitionIds.Rule}; it was '{experimentId}'."] });
        if (await JsonBody.ReadAsync(request, ct) is not { } body) return JsonBody.NotJson();
        var (definition, errors) = ExperimentRequest.Parse(body);
        if (definition is null) return Invalid(errors);
        if (definition.Scenario is { } name && await scenarios.GetAsync(tenantId, name, ct) is null)
            return Invalid(new() { ["scenario"] = [$"Tenant '{tenantId}' has no scenario '{name}' (PUT /admin/tenants/{tenantId}/scenarios/{name} defines one)."] });
        var latest = definition.Placement is { } placement ? await placements.GetAsync(tenantId, placement, null, ct) : null;
        if (definition.Placement is not null && latest is null)
            return Invalid(new() { ["placement"] = [$"Tenant '{tenantId}' has no placement '{definition.Placement}' (PUT /admin/tenants/{tenantId}/placements/{definition.Placement} defines one)."] });
        var versions = (await registry.ListAsync(tenantId, ct)).Select(v => v.Version).ToHashSet();
        for (var i = 0; i < definition.Variants.Count; i++)
        {
            if (definition.Variants[i].Settings?.ModelVersion is { } version && !versions.Contains(version))
                errors[$"variants[{i}].settings.modelVersion"] = [$"Tenant '{tenantId}' has no model version {version} (GET /admin/tenants/{tenantId}/models lists them)."];
            if (definition.Variants[i].PlacementVersion is { } rules && rules > latest!.Version)
                errors[$"variants[{i}].placementVersion"] = [$"Placement '{definition.Placement}' has versions 1 to {latest.Version}; there is no {rules}."];
        }
        if (errors.Count > 0) return Invalid(errors);

        var (outcome, experiment) = await store.PutAsync(tenantId, experimentId, definition, ct);
        var target = definition.Scenario is { } s ? $"scenario '{s}'" : $"placement '{definition.Placement}'";
        return outcome switch
        {
            PutOutcome.Created => TypedResults.Created($"/admin/tenants/{tenantId}/experiments/{experimentId}", experiment),
            PutOutcome.Updated => TypedResults.Ok(experiment),
            PutOutcome.Stopped => Conflict("The experiment has stopped", $"Experiment '{experimentId}' stopped at {experiment!.StoppedAt:u}; its figures stay as they are. Start a new one under another id."),
            PutOutcome.TargetBusy => Conflict("Another experiment runs there",
                $"The {target} runs experiment '{experiment?.Id}'; stop it (POST /admin/tenants/{tenantId}/experiments/{experiment?.Id}/stop) first."),
            PutOutcome.TargetChanged => Invalid(new()
            {
                [definition.Scenario is null ? "placement" : "scenario"] = [$"Experiment '{experimentId}' runs on {experiment!.Definition.Target}; a running experiment keeps what it runs on."],
            }),
            _ => Invalid(new()
            {
                ["variants"] = [$"A running experiment keeps its variants (people are in them): {string.Join(", ", experiment!.Definition.Variants.Select(v => v.Name))}. Give one a weight of 0 to send no new people to it."],
            }),
        };
    }

    /// <summary>
    /// <c>{"promote": "v7"}</c> (optional): the variant the experiment's target takes on as it stops: a scenario its
    /// settings, a placement its version's rules (as a new version).
    /// </summary>
    private static async Task<IResult> StopAsync(string tenantId, string experimentId, HttpRequest request, ExperimentStore store, ScenarioStore scenarios,
        PlacementStore placements, CancellationToken ct)
    {
        if (await JsonBody.ReadAsync(request, ct) is not { } body) return JsonBody.NotJson();
        if (await store.GetAsync(tenantId, experimentId, ct) is not { } experiment) return NotFound(tenantId, experimentId);
        if (experiment.State != ExperimentState.Running) return Conflict("The experiment has stopped", $"Experiment '{experimentId}' stopped at {experiment.StoppedAt:u}.");
        var promote = body.ValueKind == System.Text.Json.JsonValueKind.Object ? JsonFields.Text(body, "promote") : null;
        object? promotedTo = null;
        if (promote is not null)
        {
            var definition = experiment.Definition;
            if (definition.Find(promote) is not { } variant)
                return Invalid(new() { ["promote"] = [$"Experiment '{experimentId}' has no variant '{promote}'; it has {string.Join(", ", definition.Variants.Select(v => v.Name))}."] });
            if (variant.IsHoldout)
                return Invalid(new() { ["promote"] = [$"Variant '{promote}' is a holdout; it measures what the others add and cannot replace them."] });
            if (variant.Settings is { } settings && definition.Scenario is { } name && await scenarios.GetAsync(tenantId, name, ct) is { } scenario)
                promotedTo = (await scenarios.PutAsync(tenantId, scenario.Name, settings.Over(scenario.Definition), ct)).Scenario;
            if (variant.PlacementVersion is { } version && definition.Placement is { } placement && await placements.GetAsync(tenantId, placement, version, ct) is { } rules)
                promotedTo = await placements.PutAsync(tenantId, placement, rules.Definition, $"promoted from experiment '{experimentId}' (version {version})", ct);
        }
        return await store.StopAsync(tenantId, experimentId, promote, ct) is { } stopped
            ? TypedResults.Ok(new ExperimentStopped(stopped, promotedTo))
            : Conflict("The experiment has stopped", $"Experiment '{experimentId}' was stopped by another call.");
    }

    private static ValidationProblem Invalid(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The experiment is not valid");

    private static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status409Conflict);

    private static ProblemHttpResult NotFound(string tenantId, string experimentId) =>
        TypedResults.Problem(title: "Experiment not found", detail: $"Tenant '{tenantId}' has no experiment '{experimentId}'.", statusCode: StatusCodes.Status404NotFound);
}
