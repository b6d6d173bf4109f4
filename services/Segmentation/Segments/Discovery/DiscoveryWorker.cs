using Microsoft.Extensions.Options;
using Personalization.Segmentation.Segments.Store;

namespace Personalization.Segmentation.Segments.Discovery;

/// <summary>
/// <c>Discovery:*</c>: how often a tenant's discovered segments are computed again after their first run, and the
/// probability at which a customer joins each predictive segment.
/// </summary>
public sealed class DiscoverySettings
{
    public const string Section = "Discovery";
    public TimeSpan Every { get; set; } = TimeSpan.FromDays(1);
    public double BuyThreshold { get; set; } = new DiscoveryOptions().BuyThreshold;
    public double ChurnThreshold { get; set; } = new DiscoveryOptions().ChurnThreshold;

    public bool IsValid => Every > TimeSpan.Zero && BuyThreshold is > 0 and <= 1 && ChurnThreshold is > 0 and <= 1;

    public DiscoveryOptions Options => new(BuyThreshold: BuyThreshold, ChurnThreshold: ChurnThreshold);
}

/// <summary>
/// Runs discovery for tenants that asked for it (the admin API) and again for each of them once a day (or as
/// <see cref="DiscoverySettings.Every"/> says), as of the moment it runs.
/// </summary>
public sealed class DiscoveryWorker(DiscoveryRuns runs, DiscoveryJob job, IOptions<DiscoverySettings> settings,
    TimeProvider clock, ILogger<DiscoveryWorker> logger)
    : TenantRunWorker(runs, TimeSpan.FromMinutes(30), logger)
{
    private DateTimeOffset _lastScheduled = DateTimeOffset.MinValue;

    protected override string Job => "Discovering segments";

    protected override async Task BeforeClaimAsync(CancellationToken cancellationToken)
    {
        if (clock.GetUtcNow() - _lastScheduled < TimeSpan.FromMinutes(1)) return;
        _lastScheduled = clock.GetUtcNow();
        await runs.RequestStaleAsync(settings.Value.Every, cancellationToken);
    }

    protected override async Task RunAsync(string tenantId, CancellationToken cancellationToken)
    {
        var outcomes = await job.RunAsync(tenantId, clock.GetUtcNow(), DiscoveryJob.Methods, settings.Value.Options,
            (read, ct) => runs.ProgressAsync(tenantId, read, read, ct), cancellationToken);
        foreach (var outcome in outcomes)
            logger.LogInformation("Discovered {Segments} {Method} segments for tenant {Tenant} (run {Run}: {Entered} entered, {Exited} left) in {Took}",
                outcome.Set.Segments.Count, outcome.Set.Method, tenantId, outcome.Run, outcome.Entered, outcome.Exited, outcome.Took);
    }
}
