using Microsoft.Extensions.Options;
using Personalization.Recommendation.Interactions;
using Personalization.Recommendation.Models;
using Personalization.Recommendation.Serving;
using Personalization.ServiceDefaults;

namespace Personalization.Recommendation.Training;

public sealed class TrainingSettings
{
    public const string Section = "Recommendation:Training";

    /// <summary>How often an idle worker looks for a queued job.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Activate a new version when it is not worse than the active one beyond its interval (else only by hand).</summary>
    public bool AutoActivate { get; set; } = true;

    /// <summary>How long a running job stays its worker's without a heartbeat (renewed every quarter of it); then another worker takes it.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often each tenant is trained without being asked (those serving a model or holding a read token); zero turns it off.</summary>
    public TimeSpan Schedule { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// How long after catalog items that the served model does not know were added (and none since) a tenant is
    /// trained again, so new items are reachable through content without waiting for the schedule; zero turns it off.
    /// </summary>
    public TimeSpan NewItemsDelay { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// Trains queued jobs one at a time: reads the tenant's interactions from the event log and its catalog, runs
/// <see cref="ModelTrainer"/> off the request threads, stores the version and activates it when
/// <see cref="AutoActivation"/> says so. A failed run is recorded with its reason and changes nothing served.
/// </summary>
public sealed class TrainingWorker(
    TrainingJobs jobs,
    EventLogInteractionReader reader,
    CatalogueReader catalogue,
    ModelRegistry registry,
    IOptions<TrainingSettings> settings,
    ILogger<TrainingWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            TrainingJob? job = null;
            try
            {
                job = await jobs.ClaimNextAsync(settings.Value.Lease, stoppingToken);
                if (job is null)
                {
                    await Task.Delay(settings.Value.PollInterval, stoppingToken);
                    continue;
                }
                await TrainAsync(job, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Training job {JobId} failed", job?.Id);
                if (job is not null) await jobs.FailAsync(job.Id, ex.Message, CancellationToken.None);
                else await Task.Delay(settings.Value.PollInterval, stoppingToken);
            }
        }
    }

    private async Task TrainAsync(TrainingJob job, CancellationToken cancellationToken)
    {
        using var training = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = HeartbeatAsync(job.Id, training.Token);
        try
        {
            await TrainAsync(job.TenantId, job.Id, cancellationToken);
        }
        finally
        {
            await training.CancelAsync();
            await heartbeat;
        }
    }

    private async Task HeartbeatAsync(Guid jobId, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(settings.Value.Lease / 4);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await jobs.HeartbeatAsync(jobId, cancellationToken);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Could not renew the lease of training job {JobId}", jobId);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task TrainAsync(string tenant, Guid jobId, CancellationToken cancellationToken)
    {
        var items = TenantCatalogue.Empty.With(await catalogue.ReadAsync(tenant, null, cancellationToken)).Content();
        var file = await reader.ReadAsync(tenant, new Progress<long>(), cancellationToken) with { Items = items };
        await jobs.ReportAsync(jobId, $"read {file.Interactions.Count:N0} interactions and {items.Count:N0} catalog items; training", cancellationToken);
        var outcome = await Task.Run(() => ModelTrainer.Train(file, new TrainingOptions()), cancellationToken);

        var version = await registry.AddAsync(tenant, outcome.Model, outcome.Summary, cancellationToken);
        var active = await registry.ActiveAsync(tenant, cancellationToken);
        var activeSummary = active is null ? null : (await registry.ListAsync(tenant, cancellationToken)).First(v => v.Version == active.Version).Summary;
        var activate = settings.Value.AutoActivate && AutoActivation.Replaces(outcome.Summary, activeSummary);
        if (activate) await registry.ActivateAsync(tenant, version, cancellationToken);
        await jobs.SucceedAsync(jobId, version, activate, outcome.PassedOver, cancellationToken);
        logger.LogInformation("Trained version {Version} of tenant {Tenant} ({Algorithm}, {Interactions} interactions){Activated}",
            version, tenant, outcome.Model.Algorithm, outcome.Summary.Interactions, activate ? ", activated" : "");
    }
}
