namespace Personalization.Segmentation.Segments.Store;

/// <summary>
/// Works through a <see cref="TenantRuns"/> queue: claims a tenant, runs the job over it, records how it ended, and
/// polls again. A failed run is recorded with its error and waits for the next request.
/// </summary>
public abstract class TenantRunWorker(TenantRuns runs, TimeSpan lease, ILogger logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    protected abstract string Job { get; }

    /// <summary>The job for one tenant; progress reported to <see cref="TenantRuns.ProgressAsync"/> renews the lease.</summary>
    protected abstract Task RunAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Called once per poll before claiming: a place to queue scheduled runs.</summary>
    protected virtual Task BeforeClaimAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            string? tenantId = null;
            try
            {
                await BeforeClaimAsync(stoppingToken);
                tenantId = await runs.ClaimAsync(lease, stoppingToken);
                if (tenantId is null)
                {
                    await Task.Delay(Poll, stoppingToken);
                    continue;
                }
                await RunAsync(tenantId, stoppingToken);
                await runs.FinishAsync(tenantId, error: null, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "{Job} of tenant {Tenant} failed", Job, tenantId);
                if (tenantId is not null)
                    await runs.FinishAsync(tenantId, $"{e.GetType().Name}: {e.Message}", CancellationToken.None).ContinueWith(_ => { }, CancellationToken.None);
                await Task.Delay(Poll, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
            }
        }
    }
}
