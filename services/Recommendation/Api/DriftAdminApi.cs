using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.Recommendation.Drift;
using Personalization.ServiceDefaults;

namespace Personalization.Recommendation.Api;

/// <summary>Drift of a tenant's served model: the latest checks, and a check run now.</summary>
public static class DriftAdminApi
{
    public const int History = 20;

    public static IEndpointRouteBuilder MapDriftAdminApi(this IEndpointRouteBuilder app)
    {
        var drift = app.MapGroup("/admin/tenants/{tenantId}/models/drift").RequireAdmin().WithTags("Drift");
        drift.MapGet("/", async Task<Results<Ok<DriftHistory>, ProblemHttpResult>> (string tenantId, DriftStore store, CancellationToken ct) =>
            await store.LatestAsync(tenantId, History, ct) is { Count: > 0 } checks
                ? TypedResults.Ok(new DriftHistory(checks[0], checks))
                : TypedResults.Problem(title: "Not checked yet", detail: $"Tenant '{tenantId}' has no drift check yet (POST this path's /check runs one).",
                    statusCode: StatusCodes.Status404NotFound)).WithSummary("The latest drift checks of the serving model against recent behaviour");
        drift.MapPost("/check", async Task<Results<Ok<DriftReport>, ProblemHttpResult>> (string tenantId, DriftMonitor monitor, CancellationToken ct) =>
            await monitor.CheckAsync(tenantId, ct) is { } report
                ? TypedResults.Ok(report)
                : TypedResults.Problem(title: "No model is served", detail: $"Tenant '{tenantId}' has no active model version on this replica to check.",
                    statusCode: StatusCodes.Status404NotFound)).WithSummary("Check for drift now");
        return app;
    }
}
