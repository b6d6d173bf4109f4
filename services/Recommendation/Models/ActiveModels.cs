using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Personalization.Recommendation.Models;

public sealed class ServingSettings
{
    public const string Section = "Recommendation:Serving";

    /// <summary>How often a replica checks which version each tenant serves; an activation reaches it within this.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>A tenant's model as one replica serves it: immutable, so a request keeps the one it started with.</summary>
public sealed record ServedModel(string TenantId, int Version, TrainedModel Model);

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
                    _served[tenant] = new ServedModel(tenant, version, model);
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

/// <summary>Keeps <see cref="ActiveModels"/> current; a failed check (PostgreSQL away) is logged and tried again.</summary>
public sealed class ActiveModelRefresher(ActiveModels models, IOptions<ServingSettings> settings, ILogger<ActiveModelRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Value.RefreshInterval);
        do
        {
            try
            {
                await models.RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not check the active model versions");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
