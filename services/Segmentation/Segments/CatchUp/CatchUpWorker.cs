using Personalization.Segmentation.Profiles;
using Personalization.Segmentation.Segments.Store;
using Personalization.ServiceDefaults;

namespace Personalization.Segmentation.Segments.CatchUp;

/// <summary>
/// Brings every person of a tenant up to its segments after a definition changes: a new version is decided over
/// existing profiles (on their whole history) in the background, and runs live meanwhile. Walks the tenant's
/// streams in the event log in key order, a page at a time, calling each person's actor.
/// </summary>
public sealed class CatchUpWorker(CatchUpRuns runs, EventLogReader eventLog, CustomerProfiles profiles, ILogger<CatchUpWorker> logger)
    : TenantRunWorker(runs, TimeSpan.FromMinutes(1), logger)
{
    public const int PageSize = 500;
    public const int Parallelism = 16;

    protected override string Job => "Catching up segments";

    protected override async Task RunAsync(string tenantId, CancellationToken cancellationToken)
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
