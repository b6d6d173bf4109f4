using Personalization.Segmentation.Profiles;

namespace Personalization.Segmentation.Segments.CatchUp;

/// <summary>
/// Brings every person of a tenant up to its segments after a definition changes: a new version is decided over
/// existing profiles (on their whole history) in the background, and runs live meanwhile. Walks the tenant's
/// streams in the event log in key order, a page at a time, calling each person's actor.
/// </summary>
public sealed class CatchUpWorker(CatchUpRuns runs, EventLogReader eventLog, CustomerProfiles profiles, ILogger<CatchUpWorker> logger) : BackgroundService
{
    public const int PageSize = 500;
    public const int Parallelism = 16;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            string? tenantId = null;
            try
            {
                tenantId = await runs.ClaimAsync(Lease, stoppingToken);
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
                logger.LogWarning(e, "Catching up segments of tenant {Tenant} failed", tenantId);
                if (tenantId is not null)
                    await runs.FinishAsync(tenantId, $"{e.GetType().Name}: {e.Message}", CancellationToken.None).ContinueWith(_ => { }, CancellationToken.None);
                await Task.Delay(Poll, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
            }
        }
    }

    private async Task RunAsync(string tenantId, CancellationToken cancellationToken)
    {
        var total = await eventLog.CountStreamsAsync(tenantId, cancellationToken);
        await runs.ProgressAsync(tenantId, 0, total, cancellationToken);
        long done = 0;
        string? after = null;
        while (await eventLog.StreamsAsync(tenantId, after, PageSize, cancellationToken) is { Count: > 0 } page)
        {
            await Parallel.ForEachAsync(page, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                async (streamKey, _) => await profiles.For(streamKey).CatchUpSegmentsAsync());
            done += page.Count;
            after = page[^1];
            await runs.ProgressAsync(tenantId, done, Math.Max(done, total), cancellationToken);
        }
    }
}
