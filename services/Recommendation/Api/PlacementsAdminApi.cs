using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.Contracts;
using Personalization.Recommendation.Decisions;
using Personalization.ServiceDefaults;

namespace Personalization.Recommendation.Api;

/// <summary>A tenant's placements through the admin API: ordered content rules, each put a new version.</summary>
public static class PlacementsAdminApi
{
    public static IEndpointRouteBuilder MapPlacementsAdminApi(this IEndpointRouteBuilder app)
    {
        var placements = app.MapGroup("/admin/tenants/{tenantId}/placements").RequireAdmin().WithTags("Placements");
        placements.MapPut("/{placementId}", PutAsync).WithSummary("Create or change a placement (a new version)").AcceptsJson("PlacementRequest")
            .Produces<PlacementVersion>(StatusCodes.Status201Created).Produces<PlacementVersion>(StatusCodes.Status200OK);
        placements.MapGet("/", async (string tenantId, PlacementStore store, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(tenantId, ct))).WithSummary("List the tenant's placements");
        placements.MapGet("/{placementId}", async Task<Results<Ok<PlacementVersion>, ProblemHttpResult>> (string tenantId, string placementId, PlacementStore store,
            CancellationToken ct) =>
            await store.GetAsync(tenantId, placementId, null, ct) is { } latest ? TypedResults.Ok(latest) : NotFound(tenantId, placementId)).WithSummary("Read a placement");
        placements.MapGet("/{placementId}/versions", async Task<Results<Ok<List<PlacementVersion>>, ProblemHttpResult>> (string tenantId, string placementId,
            PlacementStore store, CancellationToken ct) =>
            await store.VersionsAsync(tenantId, placementId, ct) is { Count: > 0 } versions ? TypedResults.Ok(versions) : NotFound(tenantId, placementId)).WithSummary("List a placement's versions");
        placements.MapGet("/{placementId}/versions/{version:int}", async Task<Results<Ok<PlacementVersion>, ProblemHttpResult>> (string tenantId, string placementId,
            int version, PlacementStore store, CancellationToken ct) =>
            await store.GetAsync(tenantId, placementId, version, ct) is { } found ? TypedResults.Ok(found)
                : TypedResults.Problem(title: "Version not found", detail: $"Placement '{placementId}' of tenant '{tenantId}' has no version {version}.", statusCode: StatusCodes.Status404NotFound)).WithSummary("Read one version of a placement");
        return app;
    }

    private static async Task<IResult> PutAsync(string tenantId, string placementId, HttpRequest request, PlacementStore store, CancellationToken ct)
    {
        if (!DefinitionIds.IsValid(placementId))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["placementId"] = [$"A placement id is {DefinitionIds.Rule}; it was '{placementId}'."] });
        if (await JsonBody.ReadAsync(request, ct) is not { } body) return JsonBody.NotJson();
        var (parsed, errors) = PlacementParser.Parse(body);
        if (parsed is null) return TypedResults.ValidationProblem(errors, title: "The placement's rules are not valid");
        var version = await store.PutAsync(tenantId, placementId, body, JsonFields.Text(body, "note"), ct);
        return version.Version == 1 ? TypedResults.Created($"/admin/tenants/{tenantId}/placements/{placementId}", version) : TypedResults.Ok(version);
    }

    private static ProblemHttpResult NotFound(string tenantId, string placementId) =>
        TypedResults.Problem(title: "Placement not found", detail: $"Tenant '{tenantId}' has no placement '{placementId}'.", statusCode: StatusCodes.Status404NotFound);
}
