using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Personalization.ServiceDefaults;

namespace Personalization.Recommendation.Serving;

/// <summary>
/// Each tenant's catalog on this replica: read in full on first use, then kept current by <see cref="SyncAsync"/>,
/// which reads the items changed since the latest it saw. Writes that commit late with an earlier UpdatedAt are
/// caught by reading back over <see cref="ServingSettings.CatalogueOverlap"/>.
/// </summary>
public sealed class CatalogueCache(CatalogueReader reader, IOptions<ServingSettings> settings)
{
    private readonly ConcurrentDictionary<string, TenantCatalogue> _tenants = new(StringComparer.Ordinal);

    public async ValueTask<TenantCatalogue> ForAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (_tenants.TryGetValue(tenantId, out var catalogue)) return catalogue;
        var items = await reader.ReadAsync(tenantId, null, cancellationToken);
        return _tenants.GetOrAdd(tenantId, TenantCatalogue.Empty.With(items));
    }

    /// <summary>Reads what changed for every tenant this replica has read.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        foreach (var (tenant, catalogue) in _tenants)
        {
            var since = catalogue.LatestUpdate - settings.Value.CatalogueOverlap;
            var changes = await reader.ReadAsync(tenant, since, cancellationToken);
            _tenants[tenant] = catalogue.With(changes);
        }
    }
}
