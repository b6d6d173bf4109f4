using Marten;
using Microsoft.Extensions.Caching.Memory;
using Personalization.Contracts.EventLog;

namespace Personalization.Ingestion.TrackingPlans;

/// <summary>
/// Current plans by source, parsed once per version and cached briefly, so the ingest path pays one dictionary
/// lookup per request; a new plan version reaches every replica within <see cref="CacheFor"/>.
/// </summary>
public sealed class TrackingPlanRegistry(IDocumentStore store, IMemoryCache cache)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    public async Task<PlanCheck?> FindAsync(string tenantId, string sourceId, CancellationToken cancellationToken)
    {
        var id = TrackingPlan.CurrentId(tenantId, sourceId);
        if (cache.TryGetValue("plan:" + id, out PlanCheck? known))
            return known;

        await using var session = store.QuerySession();
        var plan = await session.LoadAsync<TrackingPlan>(id, cancellationToken);
        var check = plan is null ? null : await PlanCheck.CompileAsync(plan);
        cache.Set("plan:" + id, check, CacheFor);
        return check;
    }

    public void Forget(string tenantId, string sourceId) => cache.Remove("plan:" + TrackingPlan.CurrentId(tenantId, sourceId));

    /// <summary>Splits events into those that pass their source's plan and dead letters for the rest.</summary>
    public async Task<(List<EventAccepted> Passed, List<DeadLetter> Failed)> SplitAsync(
        IReadOnlyList<EventAccepted> events, CancellationToken cancellationToken)
    {
        var passed = new List<EventAccepted>(events.Count);
        var failed = new List<DeadLetter>();
        foreach (var source in events.GroupBy(e => (e.TenantId, e.SourceId)))
        {
            var plan = await FindAsync(source.Key.TenantId, source.Key.SourceId, cancellationToken);
            foreach (var e in source)
            {
                var reasons = plan?.Check(e) ?? [];
                if (reasons.Count == 0) passed.Add(e);
                else failed.Add(DeadLetter.OfPlan(e, plan!.Plan.Version, reasons));
            }
        }
        return (passed, failed);
    }
}
