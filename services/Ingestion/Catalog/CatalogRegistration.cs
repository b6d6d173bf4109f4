using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Personalization.Ingestion.Catalog;

public static class CatalogRegistration
{
    /// <summary>The catalog writer; needs the ingestion Marten store, whose documents <see cref="CatalogStore"/> registers.</summary>
    public static IHostApplicationBuilder AddCatalog(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CatalogWriter>();
        return builder;
    }
}
