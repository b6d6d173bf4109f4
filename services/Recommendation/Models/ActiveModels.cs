using System.Collections.Concurrent;

namespace Personalization.Recommendation.Models;

/// <summary>
/// The model each tenant serves on this replica. <see cref="RefreshAsync"/> reads the active versions, loads any
/// that changed and swaps them in by reference: requests in flight finish on the model they began with, and no
/// restart is needed. A version that fails to load is logged and the previous one kept.
/// </summary>
public sealed class ActiveModels(ModelRegistry registry, ILogger<ActiveModels> logger)
{
    private readonly ConcurrentDictionary<string, ServedModel> _served = new(StringComparer.Ordinal);

    public ServedModel? For(string tenantId) => _served.GetValueOrDefault(tenantId);

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        foreach (var (tenant, version) in await registry.ActiveVersionsAsync(cancellationToken))
        {
            if (For(tenant)?.Version == version) continue;
            try
            {
                if (await registry.LoadAsync(tenant, version, cancellationToken) is { } model)
                {
                    _served[tenant] = ServedModel.Of(tenant, version, model);
                    logger.LogInformation("Serving version {Version} of tenant {Tenant}", version, tenant);
                }
            }
            catch (InvalidDataException ex)
            {
                logger.LogError(ex, "Version {Version} of tenant {Tenant} cannot be loaded; the previous one stays", version, tenant);
            }
        }
    }
}
