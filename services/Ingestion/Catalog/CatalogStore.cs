using Personalization.Contracts.Catalog;
using Marten;

namespace Personalization.Ingestion.Catalog;

public static class CatalogStore
{
    public static void ConfigureMarten(StoreOptions options) =>
        // The list endpoint pages through one tenant's items in item-id order, so one index serves filter and order.
        options.Schema.For<CatalogItem>().Index([item => item.TenantId, item => item.ItemId]);
}
