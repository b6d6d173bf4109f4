using Marten;

namespace Personalization.Segmentation.Profiles;

public static class SegmentationStore
{
    public const string Schema = "segmentation";

    public static void ConfigureMarten(StoreOptions options)
    {
        options.Schema.For<EventCountProfile>().UseOptimisticConcurrency(true).Index(p => p.TenantId);
        options.Schema.For<ProcessedMessage>();
    }
}
