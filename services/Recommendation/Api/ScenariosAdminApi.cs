using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.Recommendation.Models;
using Personalization.Recommendation.Scenarios;
using Personalization.Recommendation.Serving;
using Personalization.ServiceDefaults;

namespace Personalization.Recommendation.Api;

/// <summary>A tenant's scenarios through the admin API: named defaults (filter, boost, count, diversity, category cap, exclusions, model version) that a request picks with <c>scenario=name</c>.</summary>
public static class ScenariosAdminApi
{
    public static IEndpointRouteBuilder MapScenariosAdminApi(this IEndpointRouteBuilder app)
    {
        var scenarios = app.MapGroup("/admin/tenants/{tenantId}/scenarios").RequireAdmin().WithTags("Scenarios");
        scenarios.MapPut("/{name}", PutAsync).WithSummary("Create or change a scenario (filters and boosts by name)").AcceptsJson("ScenarioRequest")
            .Produces<Scenario>(StatusCodes.Status201Created).Produces<Scenario>(StatusCodes.Status200OK);
        scenarios.MapGet("/", async (string tenantId, ScenarioStore store, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(tenantId, ct))).WithSummary("List the tenant's scenarios");
        scenarios.MapGet("/{name}", async Task<Results<Ok<Scenario>, ProblemHttpResult>> (string tenantId, string name, ScenarioStore store, CancellationToken ct) =>
            await store.GetAsync(tenantId, name, ct) is { } scenario ? TypedResults.Ok(scenario) : NotFound(tenantId, name)).WithSummary("Read a scenario");
        scenarios.MapDelete("/{name}", async Task<Results<NoContent, ProblemHttpResult>> (string tenantId, string name, ScenarioStore store, CancellationToken ct) =>
            await store.DeleteAsync(tenantId, name, ct) ? TypedResults.NoContent() : NotFound(tenantId, name)).WithSummary("Remove a scenario");
        return app;
    }

    /// <summary>The body takes the serving API's JSON options, except a scenario and a context, which belong to a request.</summary>
    private static async Task<IResult> PutAsync(string tenantId, string name, HttpRequest request, ScenarioStore store, ModelRegistry registry, CancellationToken ct)
    {
        if (!Scenario.IsValidName(name))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = [$"A scenario's name is {Scenario.NameRule}; it was '{name}'."] });
        if (await JsonBody.ReadAsync(request, ct) is not { } body) return JsonBody.NotJson();
        var validated = RequestedOptions.FromJson(body);
        if (validated.Options is not { } options) return TypedResults.ValidationProblem(validated.Errors, title: "The scenario's options are not valid");
        if (options.Scenario is not null || options.Context != new RequestContext())
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["scenario"] = ["A scenario holds defaults for requests; 'scenario' and 'context' belong to each request."],
            });
        if (ServingRequest.ParseRules(options.Filter, options.Boost, out _) is { } problem) return problem;
        if (options.ModelVersion is { } version && (await registry.ListAsync(tenantId, ct)).All(v => v.Version != version))
            return ServingRequest.UnknownVersion(tenantId, version);
        var (scenario, created) = await store.PutAsync(tenantId, name, ScenarioDefinition.From(options), ct);
        return created ? TypedResults.Created($"/admin/tenants/{tenantId}/scenarios/{name}", scenario) : TypedResults.Ok(scenario);
    }

    private static ProblemHttpResult NotFound(string tenantId, string name) =>
        TypedResults.Problem(title: "Scenario not found", detail: $"Tenant '{tenantId}' has no scenario '{name}'.", statusCode: StatusCodes.Status404NotFound);
}
