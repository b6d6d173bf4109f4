using System.ComponentModel.DataAnnotations;

namespace Personalization.Ingestion;

public enum IngestionRole
{
    /// <summary>Serves the tracking API; the async daemon is off (any number of replicas).</summary>
    Api,

    /// <summary>Runs Marten's async daemon in Solo mode and relays stored events to RabbitMQ (exactly one replica).</summary>
    Relay,
}

public sealed class IngestionOptions
{
    public const string Section = "Ingestion";

    public IngestionRole Role { get; set; } = IngestionRole.Api;

    /// <summary>
    /// Static write keys (key to tenant, source "default"), for bootstrap and development. Keys made with the admin
    /// API live in the database instead.
    /// </summary>
    public Dictionary<string, string> WriteKeys { get; set; } = [];

    /// <summary>Largest body accepted on the wire (Segment's own batch limit is 500 KB).</summary>
    [Range(1_024, 64 * 1024 * 1024)]
    public long MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest body after gunzip, a guard against compression bombs.</summary>
    [Range(1_024, 256 * 1024 * 1024)]
    public long MaxDecompressedBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Most events written by one group commit.</summary>
    [Range(1, 100_000)]
    public int MaxEventsPerCommit { get; set; } = 5_000;

    /// <summary>Requests waiting for a commit before new ones are turned away with 503.</summary>
    [Range(1, 1_000_000)]
    public int MaxPendingRequests { get; set; } = 10_000;

    /// <summary>
    /// Group-commit loops that write at once, each on its own connection and owning a share of the streams. One
    /// PostgreSQL backend uses at most one core and idles while its client prepares the next commit or waits for the
    /// WAL flush, so about two loops per core keep PostgreSQL busy (4 measured best on 2 cores; bench/IngestionLoad).
    /// </summary>
    [Range(1, 64)]
    public int CommitLoops { get; set; } = 4;

    /// <summary>
    /// Append a commit's events to Marten's tables in one set-based statement (true), or through a Marten session,
    /// which sends one quick-append call per stream (false; about half the rate when most streams get one event).
    /// </summary>
    public bool SetBasedAppend { get; set; } = true;

    /// <summary>How long a message id counts as seen: resent within the window it is a duplicate, after it a new message.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan DedupWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the API removes ids older than the dedup window.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan DedupCleanupInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Most ids one cleanup statement deletes, so no statement holds its locks for long.</summary>
    [Range(1, 1_000_000)]
    public int DedupCleanupBatchSize { get; set; } = 5_000;
}
