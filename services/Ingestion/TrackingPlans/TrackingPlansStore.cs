using Marten;

namespace Personalization.Ingestion.TrackingPlans;

public static class TrackingPlansStore
{
    public static void ConfigureMarten(StoreOptions options)
    {
        options.Schema.For<TrackingPlan>().Index(p => p.TenantId);
        options.Schema.For<DeadLetter>().Index(d => d.TenantId).Index(d => d.SourceId);
    }
}
