using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Personalization.Recommendation.Decisions;
using Personalization.Recommendation.Experiments;
using Personalization.Recommendation.Serving;
using Personalization.ServiceDefaults;

namespace Personalization.Recommendation.Api;

/// <summary>
/// <c>GET /v1/decisions/{placement}?userId=…&amp;device=mobile&amp;timeZone=Europe/Berlin</c>: the content of the
/// placement's first rule that holds for the person now, read from their profile actor, and the rule that matched.
/// Under an experiment on the placement, the person's variant picks the version of the rules (or only the fallback).
/// </summary>
public static class DecisionsApi
{
    public static IEndpointRouteBuilder MapDecisionsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/decisions/{placementId}", DecideAsync).WithSummary("Decide what a placement shows this person, with its recommendations").RequireTenantReader().WithTags("Decisions");
        return app;
    }

    private static async Task<Results<Ok<DecisionAnswer>, ValidationProblem, ProblemHttpResult>> DecideAsync(string placementId, string? userId,
        string? timeZone, HttpRequest request, ClaimsPrincipal caller, PlacementStore placements, ExperimentStore experiments, ProfileReader profiles,
        IOptions<ServingSettings> settings, TimeProvider clock, CancellationToken ct)
    {
        var tenant = TenantReaders.TenantOf(caller);
        var now = clock.GetUtcNow();
        var (context, error) = DecisionContext.From(field => request.Query[field].FirstOrDefault(), timeZone, now);
        if (context is null) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["timeZone"] = [error!] });
        if (await placements.ServedAsync(tenant, placementId, null, ct) is not { } placement)
            return TypedResults.Problem(title: "Unknown placement",
                detail: $"There is no placement '{placementId}' for this tenant (PUT /admin/tenants/{tenant}/placements/{placementId} defines one).",
                statusCode: StatusCodes.Status404NotFound);
        var person = string.IsNullOrWhiteSpace(userId) ? null : userId;
        var arm = await experiments.ArmOfAsync(tenant, ExperimentDefinition.PlacementTarget(placementId), person, ct);
        if (arm?.Variant.PlacementVersion is { } version && await placements.ServedAsync(tenant, placementId, version, ct) is { } chosen) placement = chosen;
        var profile = person is null ? null : await profiles.ReadAsync(tenant, person, settings.Value.ProfileTimeout, ct);
        var decision = arm?.Variant.FallbackOnly == true
            ? new Decision(null, placement.Parsed.Fallback)
            : Decider.Decide(placement.Parsed, profile?.Profile, context, now);
        return TypedResults.Ok(new DecisionAnswer(new ResponseOrigin(null, placementId, arm?.Arm.Experiment, arm?.Arm.Variant).NewId(),
            placementId, placement.Version.Version, decision.Rule, decision.Content, arm?.Arm.Experiment, arm?.Arm.Variant, profile?.Reached ?? false,
            context.Values));
    }
}
