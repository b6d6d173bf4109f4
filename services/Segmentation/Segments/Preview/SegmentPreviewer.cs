using Personalization.ServiceDefaults;
using System.Text.Json;
using Personalization.Segmentation.Profiles;

namespace Personalization.Segmentation.Segments.Preview;

/// <summary>
/// Estimates a draft's size before it is saved: a random sample of the tenant's streams (those a catch-up run would
/// judge) asks each person's actor whether they would be in it now, on their whole history. Nothing is written.
/// </summary>
public sealed class SegmentPreviewer(EventLogReader eventLog, CustomerProfiles profiles)
{
    public const int DefaultSample = 1000;
    public const int MaxSample = 10_000;
    private const int Parallelism = 16;

    public async Task<PreviewEstimate> EstimateAsync(string tenantId, JsonElement definition, int sample, CancellationToken cancellationToken)
    {
        var population = await eventLog.CountStreamsAsync(tenantId, cancellationToken);
        var streams = await eventLog.SampleStreamsAsync(tenantId, sample, cancellationToken);
        var draft = new SegmentDraft(definition.GetRawText());
        var matched = 0;
        await Parallel.ForEachAsync(streams, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (streamKey, _) =>
            {
                if (await profiles.For(streamKey).PreviewSegmentAsync(draft)) Interlocked.Increment(ref matched);
            });
        return PreviewEstimate.Of(Math.Max(population, streams.Count), streams.Count, matched);
    }
}
