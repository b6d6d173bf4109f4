using Personalization.Contracts.EventLog;

namespace Personalization.Ingestion.Storage;

/// <summary>
/// Splits a request's events among the commit loops by stream, so each stream has one owning loop: no two loops
/// append to the same stream (no lock waits between them), and a stream's events keep the request's order.
/// </summary>
public static class StreamShards
{
    /// <summary>The events per loop in request order; null where a loop gets none.</summary>
    public static List<StreamEvent>?[] Split(IReadOnlyList<EventAccepted> events, int loops)
    {
        var shares = new List<StreamEvent>?[loops];
        foreach (var e in events)
        {
            var streamId = e.StreamKey.ToString();
            // String hashes are randomised per process, which is fine: ownership only has to hold within one writer.
            var loop = loops == 1 ? 0 : (int)((uint)streamId.GetHashCode() % (uint)loops);
            (shares[loop] ??= new List<StreamEvent>(events.Count / loops + 1)).Add(new StreamEvent(e, streamId));
        }
        return shares;
    }
}
