using System.Diagnostics;

namespace Personalization.IngestionLoad;

/// <summary>
/// How long the disk under the event log takes to make 8 kB durable (write + fsync, as PostgreSQL does for a WAL
/// flush), measured again and again with the box otherwise idle. A 2xx cannot come before its commit's WAL flush, so
/// the time spent inside slow flushes is a floor under the API's tail latency that no service code can lower.
/// </summary>
public static class FsyncProbe
{
    private const int BlockSize = 8192;
    private const double SlowMs = 50;

    public static async Task<string> RunAsync(string directory, TimeSpan duration)
    {
        var path = Path.Combine(directory, $"fsync-probe-{Guid.NewGuid():N}.tmp");
        var block = new byte[BlockSize];
        var latencies = new List<double>();
        var clock = Stopwatch.StartNew();
        await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
        {
            for (var n = 0; clock.Elapsed < duration; n++)
            {
                file.Position = n % 1024 * (long)BlockSize;
                file.Write(block);
                var started = Stopwatch.GetTimestamp();
                file.Flush(flushToDisk: true);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                // About PostgreSQL's flush rate at 10k events/s with group commit, without keeping a core busy.
                await Task.Delay(2);
            }
        }
        var slow = latencies.Where(ms => ms > SlowMs).ToList();
        latencies.Sort();
        double At(double quantile) => latencies[(int)Math.Min(latencies.Count - 1, quantile * latencies.Count)];
        return $"fsync probe in {directory}, {clock.Elapsed.TotalSeconds:F0} s of {BlockSize / 1024} kB write + fsync: {latencies.Count:N0} flushes, " +
               $"p50 {At(0.5):F2} ms, p99 {At(0.99):F2} ms, p99.9 {At(0.999):F1} ms, max {latencies[^1]:F0} ms; " +
               $"{slow.Count} over {SlowMs:F0} ms, {slow.Sum() / clock.Elapsed.TotalMilliseconds:P1} of the time inside them";
    }
}
