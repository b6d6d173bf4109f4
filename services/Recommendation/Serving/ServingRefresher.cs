using Microsoft.Extensions.Options;
using Personalization.Recommendation.Models;

namespace Personalization.Recommendation.Serving;

/// <summary>Keeps the served models and catalogs current; a failed check (PostgreSQL away) is logged and tried again.</summary>
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
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not check the active model versions and catalogs");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
