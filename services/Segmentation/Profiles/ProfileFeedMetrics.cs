using System.Diagnostics.Metrics;
using Personalization.Contracts.V1;

namespace Personalization.Segmentation.Profiles;

/// <summary>What feeding profiles has cost since the service started.</summary>
/// <param name="ActorCalls">Calls to profile actors that applied events.</param>
/// <param name="EventsFed">Events those calls carried (a redelivered event counts again).</param>
/// <param name="LogReads">Reads of the event log for versions an actor waited on.</param>
public sealed record ProfileFeedTotals(long ActorCalls, long EventsFed, long LogReads);

/// <summary>
/// Counts actor calls, the events they carried and gap-filling log reads, for OpenTelemetry (observable counters)
/// and for the admin API (<see cref="Totals"/>) from the same numbers; and how long after ingestion took an event its
/// profile had applied it (the profiles' freshness).
/// </summary>
public sealed class ProfileFeedMetrics
{
    public const string MeterName = "Personalization.Segmentation";

    private readonly Histogram<double> _applyLatency;
    private long _calls;
    private long _events;
    private long _logReads;

    public ProfileFeedMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableCounter("segmentation.profiles.actor_calls", () => Interlocked.Read(ref _calls), "{call}", "Calls to profile actors that applied events.");
        meter.CreateObservableCounter("segmentation.profiles.events_fed", () => Interlocked.Read(ref _events), "{event}", "Events handed to profile actors (a redelivered event counts again).");
        meter.CreateObservableCounter("segmentation.profiles.log_reads", () => Interlocked.Read(ref _logReads), "{read}", "Reads of the event log for versions an actor waited on.");
        _applyLatency = meter.CreateHistogram<double>("segmentation.profiles.apply_latency", "ms", "From ingestion's 2xx for an event to its profile's having applied it.");
    }

    public ProfileFeedTotals Totals => new(Interlocked.Read(ref _calls), Interlocked.Read(ref _events), Interlocked.Read(ref _logReads));

    /// <summary>An actor call that applied <paramref name="events"/>, returned at <paramref name="appliedAt"/>.</summary>
    public void Called(IReadOnlyCollection<EventRecorded> events, DateTimeOffset appliedAt)
    {
        Interlocked.Increment(ref _calls);
        Interlocked.Add(ref _events, events.Count);
        if (!_applyLatency.Enabled) return;
        foreach (var e in events)
            _applyLatency.Record(Math.Max(0, (appliedAt - e.ReceivedAt).TotalMilliseconds));
    }

    public void ReadLog() => Interlocked.Increment(ref _logReads);
}
