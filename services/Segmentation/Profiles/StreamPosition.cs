using Personalization.Contracts.V1;

namespace Personalization.Segmentation.Profiles;

/// <summary>
/// Where a profile stands in its person's event stream. Delivery is at least once and in no guaranteed order
/// (retries, redeliveries, concurrent consumers), so events are applied strictly by stream version: an old version
/// is a duplicate, a version ahead of the next one waits here until the gap fills. Pure; kept as actor state.
/// </summary>
public sealed class StreamPosition
{
    /// <summary>Version of the last event applied; 0 before any.</summary>
    public long Version { get; set; }

    /// <summary>Events that arrived ahead of their turn, by version.</summary>
    public SortedDictionary<long, EventRecorded> Waiting { get; set; } = [];

    /// <summary>Anonymous streams folded into this person's profile, each with the last of its versions folded in.</summary>
    public SortedDictionary<string, long> Merged { get; set; } = [];

    /// <summary>
    /// Set on an anonymous stream's profile once a person's profile folds the stream in: events that still land in
    /// it (stored by a node that had not seen the link yet) are then passed on to that person as well.
    /// </summary>
    public string? MergedInto { get; set; }

    /// <summary>
    /// Set when the person was erased: events received until then were erased with them, so a copy still on its way
    /// (a redelivery, a message already queued) is dropped instead of bringing the profile back.
    /// </summary>
    public DateTimeOffset? ErasedAt { get; set; }

    /// <summary>Takes a delivered event and returns the events that may now be applied, in order (often just it).</summary>
    public IReadOnlyList<EventRecorded> Accept(EventRecorded message)
    {
        if (message.ReceivedAt <= ErasedAt || message.StreamVersion <= Version || !Waiting.TryAdd(message.StreamVersion, message))
            return [];

        var ready = new List<EventRecorded>();
        while (Waiting.Remove(Version + 1, out var next))
        {
            ready.Add(next);
            Version++;
        }
        return ready;
    }
}
