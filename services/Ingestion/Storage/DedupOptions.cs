using System.ComponentModel.DataAnnotations;

namespace Personalization.Ingestion.Storage;

/// <summary>How long message ids are remembered, and how the expired ones are removed (section <c>Ingestion</c>).</summary>
public sealed class DedupOptions
{
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
