using Microsoft.Extensions.Options;
using Personalization.Recommendation.Models;
using Personalization.Recommendation.Serving;
using Personalization.ServiceDefaults;

namespace Personalization.Recommendation.Training;

/// <summary>
/// Queues training jobs without being asked: for each tenant once per <see cref="TrainingSettings.Schedule"/> (the
/// tenants that serve a model and those a read token names), and for a served tenant whose catalog gained items its
/// model does not know, once the newest of them is <see cref="TrainingSettings.NewItemsDelay"/> old (so an import
/// of many items makes one job). Every replica runs it; <see cref="TrainingJobs.QueueUnlessAskedSinceAsync"/> lets
/// one job through per tenant between them, none while one is queued or running, and none for items older than
/// the last job asked for, which saw them.
/// </summary>
public sealed class TrainingSchedule(
    TrainingJobs jobs,
    ModelRegistry registry,
    ActiveModels models,
    CatalogueCache catalogues,
    TimeProvider clock,
    IOptions<TrainingSettings> settings,
    IOptions<TenantReaderOptions> readers,
    ILogger<TrainingSchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var (schedule, newItemsDelay) = (settings.Value.Schedule, settings.Value.NewItemsDelay);
        if (schedule <= TimeSpan.Zero && newItemsDelay <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(new[] { schedule, newItemsDelay, TimeSpan.FromMinutes(1) }.Where(p => p > TimeSpan.Zero).Min());
        do
        {
            try
            {
                var served = (await registry.ActiveVersionsAsync(stoppingToken)).Keys;
                if (schedule > TimeSpan.Zero) await QueueScheduledAsync(served, schedule, stoppingToken);
                if (newItemsDelay > TimeSpan.Zero) await QueueForNewItemsAsync(served, newItemsDelay, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Could not queue the scheduled training jobs");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task QueueScheduledAsync(IEnumerable<string> served, TimeSpan schedule, CancellationToken cancellationToken)
    {
        foreach (var tenant in served.Union(readers.Value.AccessTokens.Values).Distinct())
            if (await jobs.QueueUnlessAskedSinceAsync(tenant, clock.GetUtcNow() - schedule, cancellationToken) is not null)
                logger.LogInformation("Queued the scheduled training of tenant {Tenant}", tenant);
    }

    private async Task QueueForNewItemsAsync(IEnumerable<string> served, TimeSpan delay, CancellationToken cancellationToken)
    {
        foreach (var tenant in served)
        {
            if (models.For(tenant) is not { } model) continue;
            var matrix = model.Model.Data.Matrix;
            var catalogue = await catalogues.ForAsync(tenant, cancellationToken);
            var unknown = catalogue.Live.Where(item => catalogue.IsServable(item.ItemId) && matrix.ItemIndex(item.ItemId) < 0).ToList();
            if (unknown.Count == 0) continue;
            var newest = unknown.Max(item => item.CreatedAt);
            if (clock.GetUtcNow() - newest < delay) continue;
            if (await jobs.QueueUnlessAskedSinceAsync(tenant, newest, cancellationToken) is not null)
                logger.LogInformation("Queued a training of tenant {Tenant} for {Count} catalog items its model does not know", tenant, unknown.Count);
        }
    }
}
