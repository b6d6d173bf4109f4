using System.ComponentModel.DataAnnotations;

namespace Personalization.Ingestion.Storage;

/// <summary>How the group-commit writer batches and writes (section <c>Ingestion</c>).</summary>
public sealed class GroupCommitOptions
{
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
}
