using System.Security.Claims;
using Microsoft.Extensions.Options;
using Personalization.Recommendation.Decisions;
using Personalization.Recommendation.Serving;
using Personalization.ServiceDefaults;

namespace Personalization.Recommendation.Api;

/// <summary>
/// <c>GET /v1/decisions/{placement}?userId=…&amp;device=mobile&amp;timeZone=Europe/Berlin</c>: the content of the
/// placement's first rule that holds for the person now, read from their profile actor, and the rule that matched.
/// </summary>
public static class DecisionsApi
{
    public static IEndpointRouteBuilder MapDecisionsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/decisions/{placementId}", DecideAsync).RequireTenantReader().WithTags("Decisions");
        return app;
    }

    private static async Task<IResult> DecideAsync(string placementId, string? userId, string? timeZone, HttpRequest request, ClaimsPrincipal caller,
        PlacementStore placements, ProfileReader profiles, IOptions<ServingSettings> settings, TimeProvider clock, CancellationToken ct)
    {
        var tenant = TenantReaders.TenantOf(caller);
        var now = clock.GetUtcNow();
        var (context, error) = DecisionContext.From(field => request.Query[field].FirstOrDefault(), timeZone, now);
        if (context is null) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["timeZone"] = [error!] });
        if (await placements.ServedAsync(tenant, placementId, ct) is not { } placement)
            return TypedResults.Problem(title: "Unknown placement",
                detail: $"There is no placement '{placementId}' for this tenant (PUT /admin/tenants/{tenant}/placements/{placementId} defines one).",
                statusCode: StatusCodes.Status404NotFound);
        var profile = string.IsNullOrWhiteSpace(userId) ? null : await profiles.ReadAsync(tenant, userId, settings.Value.ProfileTimeout, ct);
        var decision = Decider.Decide(placement.Parsed, profile?.Profile, context, now);
        return TypedResults.Ok(new
        {
            placement = placementId, version = placement.Version.Version, rule = decision.Rule, content = decision.Content,
            profileRead = profile?.Reached ?? false, context = context.Values,
        });
    }
}
