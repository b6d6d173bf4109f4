using Microsoft.Extensions.Options;
using Personalization.Recommendation.Attribution;
using Personalization.Recommendation.Interactions;
using Personalization.Recommendation.Models;
using Personalization.Recommendation.Ranking;
using Personalization.Recommendation.Training;

namespace Personalization.Recommendation.Drift;

/// <summary>
/// Checks each served model version for drift (<see cref="DriftCheck"/>) every <see cref="DriftSettings.CheckEvery"/>,
/// or when asked: its CTR from attribution, what people interact with now from the event log, and for a hybrid the
/// ranker's inputs this replica saw lately. A drift (the CTR fell, or a stability index passed its threshold) is recorded, and with <see cref="DriftAction.Retrain"/> a training
/// job is queued, once per activated version; the new version is activated only if it passes the activation rule.
/// Every replica runs the loop; a tenant checked within half the interval is left alone.
/// </summary>
public sealed class DriftMonitor(
    ModelRegistry registry, ActiveModels models, AttributionStore attribution, EventLogInteractionReader interactions, TrainingJobs jobs,
    DriftStore store, IOptions<DriftSettings> settings, TimeProvider clock, ILogger<DriftMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = settings.Value.CheckEvery;
        if (every <= TimeSpan.Zero || settings.Value.Action == DriftAction.Off) return;
        using var timer = new PeriodicTimer(every);
        while (await timer.WaitForNextTickAsync(stoppingToken))
            foreach (var tenant in (await registry.ActiveVersionsAsync(stoppingToken)).Keys)
                try
                {
                    if ((await store.LatestAsync(tenant, 1, stoppingToken)).FirstOrDefault() is { } last && clock.GetUtcNow() - last.CheckedAt < every / 2) continue;
                    await CheckAsync(tenant, stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Could not check the model of tenant {Tenant} for drift", tenant);
                }
    }

    /// <summary>Checks the tenant's active version now and records the result; null when the tenant serves no model.</summary>
    public async Task<DriftReport?> CheckAsync(string tenantId, CancellationToken cancellationToken)
    {
        var options = settings.Value;
        if (await registry.ActiveAsync(tenantId, cancellationToken) is not { } active) return null;
        if (await models.ForAsync(tenantId, active.Version, cancellationToken) is not { } model) return null;
        var ctr = DriftCheck.Ctr(await attribution.OutcomesAsync(tenantId, active.Version, options.MaxImpressions, cancellationToken), options.Delta);

        var version = (await registry.ListAsync(tenantId, cancellationToken)).Single(v => v.Version == active.Version);
        var since = (version.Summary.DataTo ?? active.ActivatedAt).UtcDateTime;
        var matrix = model.Model.Data.Matrix;
        var recent = await interactions.RecentAsync(tenantId, since, options.MaxInteractions, cancellationToken);
        var popularity = DriftCheck.Popularity([.. Enumerable.Range(0, matrix.ItemCount).Select(model.Popular.Weight)],
            [.. recent.Select(i => matrix.ItemIndex(i.Item))], options.PsiThreshold, options.MinimumInteractions);

        var ranker = model.Model.Generator is HybridRecommender hybrid && version.Summary.RankerFeatures is { Count: > 0 } profiles
            ? DriftCheck.Ranker(profiles, hybrid.FeatureNames, hybrid.LiveRows(), options.PsiThreshold, options.MinimumInteractions)
            : null;

        var drifted = ctr is { Detected: true, Fell: true } || popularity.Detected || ranker is { Detected: true };
        Guid? job = null;
        var action = !drifted ? "none"
            : options.Action != DriftAction.Retrain ? "flagged"
            // Once per activated version: a retraining that did not pass the activation rule is not asked for again and again.
            : (job = await jobs.QueueUnlessAskedSinceAsync(tenantId, active.ActivatedAt, cancellationToken)) is not null ? "retraining"
            : "flagged (a training was already asked for since this version was activated)";
        var report = new DriftReport(Guid.NewGuid(), tenantId, active.Version, clock.GetUtcNow(), drifted, action, job, ctr, popularity, ranker);
        await store.AddAsync(report, cancellationToken);
        if (drifted)
            logger.LogWarning("Model version {Version} of tenant {Tenant} drifted (CTR {Before} → {Now}, popularity index {Index}, ranker {Feature} {RankerIndex}): {Action}",
                active.Version, tenantId, ctr.Before, ctr.Now, popularity.Index, ranker?.Feature, ranker?.Index, action);
        return report;
    }
}
