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

    /// <summary>How many versions other than the active ones a replica keeps loaded for requests and scenarios that name them.</summary>
    public const int MaxVariants = 8;

    private readonly ConcurrentDictionary<(string Tenant, int Version), ServedModel> _variants = new();

    /// <summary>
    /// The tenant's active model, or with <paramref name="version"/> that stored version (a variant: a scenario or a
    /// request comparing versions), loaded on first use and kept; null when there is no such model.
    /// </summary>
    public async Task<ServedModel?> ForAsync(string tenantId, int? version, CancellationToken cancellationToken)
    {
        var active = For(tenantId);
        if (version is not { } wanted || active?.Version == wanted) return active;
        if (_variants.TryGetValue((tenantId, wanted), out var kept)) return kept;
        TrainedModel? model;
        try
        {
            model = await registry.LoadAsync(tenantId, wanted, cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            logger.LogError(ex, "Version {Version} of tenant {Tenant} was asked for and cannot be loaded", wanted, tenantId);
            return null;
        }
        if (model is null) return null;
        if (_variants.Count >= MaxVariants) _variants.Clear(); // rare: more variants named than kept; they load again
        return _variants[(tenantId, wanted)] = ServedModel.Of(tenantId, wanted, model);
    }

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
