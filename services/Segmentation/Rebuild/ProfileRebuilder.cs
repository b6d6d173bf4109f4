using Personalization.Contracts;
using Personalization.Segmentation.Profiles;
using Personalization.ServiceDefaults;

namespace Personalization.Segmentation.Rebuild;

public sealed record RebuildProgress(long Events, int Profiles, string? LastStream);

/// <summary>
/// Rebuilds every profile from the event log, stream by stream: first every person's actor is reset, then each
/// stream is read in version order and fed through the same <see cref="ProfileFeeder"/> as the live path (merges
/// included), up to <see cref="ProfileFeeder.EventsPerCall"/> events per actor call. Reading by stream, not in log
/// order, is what makes it fast: a page of the log holds a few events each of thousands of people, so replaying it
/// took about one actor call per event or two. All resets come first because a person's merge marks their anonymous
/// stream's actor as followed, and a reset after that would undo it.
/// </summary>
public sealed class ProfileRebuilder(EventLogReader eventLog, CustomerProfiles profiles, ProfileFeeder feeder)
{
    private const int StreamsPerPage = 1_000;
    private const int EventsPerRead = 5_000;
    private const int Parallelism = 16;

    public async Task<RebuildProgress> RebuildAsync(IProgress<RebuildProgress>? progress, CancellationToken cancellationToken)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };
        await ForEachStreamPageAsync(page => Parallel.ForEachAsync(page, options, async (stream, _) => await profiles.For(stream).ResetAsync()), cancellationToken);

        long events = 0;
        var fedProfiles = 0;
        string? last = null;
        await ForEachStreamPageAsync(async page =>
        {
            await Parallel.ForEachAsync(page, options, async (stream, ct) =>
            {
                if (await FeedStreamAsync(stream, ct) is > 0 and var fed)
                {
                    Interlocked.Add(ref events, fed);
                    Interlocked.Increment(ref fedProfiles);
                }
            });
            last = page[^1];
            progress?.Report(new RebuildProgress(events, fedProfiles, last));
        }, cancellationToken);
        return new RebuildProgress(events, fedProfiles, last);
    }

    private async Task ForEachStreamPageAsync(Func<IReadOnlyList<string>, Task> action, CancellationToken cancellationToken)
    {
        string? after = null;
        while (await eventLog.StreamsAsync(tenantId: null, after, StreamsPerPage, cancellationToken) is { Count: > 0 } page)
        {
            // A tenant's erasures stream holds audit records, no one's profile.
            if (page.Where(StreamKey.IsProfileStream).ToList() is { Count: > 0 } people)
                await action(people);
            after = page[^1];
        }
    }

    /// <summary>Feeds one stream from its first version, a read at a time, so a huge stream is never held whole.</summary>
    private async Task<long> FeedStreamAsync(string stream, CancellationToken cancellationToken)
    {
        long fed = 0;
        for (long from = 1; ; from += EventsPerRead)
        {
            var to = from + EventsPerRead - 1;
            var read = await eventLog.ReadAsync(stream, from, to, cancellationToken);
            if (read.Count > 0)
                await feeder.FeedAsync(read, cancellationToken);
            fed += read.Count;
            // A read that ends before its range has reached the end of the stream.
            if (read.Count == 0 || read[^1].StreamVersion < to) return fed;
        }
    }
}
