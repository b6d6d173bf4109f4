using Microsoft.Extensions.Options;
using Personalization.Recommendation.Models;
using Personalization.ServiceDefaults;

namespace Personalization.Recommendation.Training;

/// <summary>
/// Queues a training job for each tenant once per <see cref="TrainingSettings.Schedule"/>: the tenants that serve a
/// model and those a read token names. Every replica runs it; <see cref="TrainingJobs.QueueIfDueAsync"/> lets one
/// job through per tenant and period, and none while one is queued or running.
/// </summary>
public sealed class TrainingSchedule(
    TrainingJobs jobs,
    ModelRegistry registry,
    IOptions<TrainingSettings> settings,
    IOptions<TenantReaderOptions> readers,
    ILogger<TrainingSchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedule = settings.Value.Schedule;
        if (schedule <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(schedule < TimeSpan.FromMinutes(1) ? schedule : TimeSpan.FromMinutes(1));
        do
        {
            try
            {
                var tenants = (await registry.ActiveVersionsAsync(stoppingToken)).Keys.Union(readers.Value.AccessTokens.Values).Distinct();
                foreach (var tenant in tenants)
                    if (await jobs.QueueIfDueAsync(tenant, schedule, stoppingToken))
                        logger.LogInformation("Queued the scheduled training of tenant {Tenant}", tenant);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not queue the scheduled training jobs");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
