using Marten;

namespace Personalization.Ingestion.Sources;

public static class SourcesStore
{
    public static void ConfigureMarten(StoreOptions options)
    {
        options.Schema.For<Source>().Index(s => s.TenantId);
        options.Schema.For<WriteKey>().Index(k => k.TenantId).Index(k => k.SourceId);
    }
}
