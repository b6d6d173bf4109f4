namespace Personalization.Ingestion.Pipeline;

/// <summary>What became of one tracking request: each kind has its own HTTP answer.</summary>
public abstract record TrackingResult
{
    /// <summary>
    /// Stored. <see cref="Invalid"/> counts the messages of a batch taken in part that were not valid calls
    /// (dead-lettered with their <see cref="Errors"/> by path); <see cref="DeadLettered"/> adds those that broke their
    /// tracking plan or that the store refused. Segment SDKs read only <see cref="Success"/>.
    /// </summary>
    public sealed record Accepted(int Stored, int Duplicates, int DeadLettered, int Invalid = 0, IDictionary<string, string[]>? Errors = null) : TrackingResult
    {
        public bool Success => true;
    }

    /// <summary>Not valid as a whole (or a strict source's batch with an invalid message): nothing stored.</summary>
    public sealed record Rejected(IDictionary<string, string[]> Errors) : TrackingResult;

    /// <summary>The event store refused the data itself: resending it unchanged cannot succeed.</summary>
    public sealed record Refused(string Detail) : TrackingResult;

    /// <summary>Nothing could be stored right now; the same request may be retried (it is deduplicated).</summary>
    public sealed record Unavailable(string Detail) : TrackingResult;
}
