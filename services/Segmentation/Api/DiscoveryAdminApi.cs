using Personalization.Segmentation.Segments.Discovery;
using Personalization.Segmentation.Segments.Store;
using Personalization.ServiceDefaults;

namespace Personalization.Segmentation.Api;

/// <summary>Where a tenant's discovery stands: the latest request, and each method's latest run with its report and segments.</summary>
public sealed record DiscoveryStatus(RunStatus? Request, IReadOnlyList<DiscoveryRunSummary> Runs);

/// <summary>
/// A tenant's discovered segments (RFM grid, K-Means, DBSCAN, Gaussian mixture, predictive) through the admin API: ask for a run
/// now (it then runs again on schedule) and read the reports. The segments themselves read like rule segments.
/// </summary>
public static class DiscoveryAdminApi
{
    public static IEndpointRouteBuilder MapDiscoveryAdminApi(this IEndpointRouteBuilder app)
    {
        var discovery = app.MapGroup("/admin/tenants/{tenantId}/discovery").RequireAdmin().WithTags("Discovery");
        discovery.MapGet("/", async (string tenantId, DiscoveryRuns runs, DiscoveryStore store, CancellationToken ct) =>
            TypedResults.Ok(new DiscoveryStatus(await runs.GetAsync(tenantId, ct), await store.LatestAsync(tenantId, ct)))).WithSummary("The tenant's discovered segments and their latest runs");
        discovery.MapPost("/", async (string tenantId, DiscoveryRuns runs, DiscoveryStore store, CancellationToken ct) =>
        {
            await runs.RequestAsync(tenantId, ct);
            return TypedResults.Accepted($"/admin/tenants/{tenantId}/discovery",
                new DiscoveryStatus(await runs.GetAsync(tenantId, ct), await store.LatestAsync(tenantId, ct)));
        }).WithSummary("Ask for a discovery run now");
        return app;
    }
}
