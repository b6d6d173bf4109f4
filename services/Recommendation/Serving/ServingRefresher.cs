using Microsoft.Extensions.Options;
using Personalization.Recommendation.Models;

namespace Personalization.Recommendation.Serving;

/// <summary>
/// Keeps the served models and catalogs current; a failed check (PostgreSQL away, a timeout) is logged and tried
/// again: only the host stopping ends the loop, so no stray cancellation can silently freeze what a replica serves.
/// </summary>
public sealed class ServingRefresher(ActiveModels models, CatalogueCache catalogues, IOptions<ServingSettings> settings,
    ILogger<ServingRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Value.RefreshInterval);
        do
        {
            try
            {
                await models.RefreshAsync(stoppingToken);
                await catalogues.SyncAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Could not check the active model versions and catalogs");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
