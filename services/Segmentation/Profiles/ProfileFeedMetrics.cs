using System.Diagnostics.Metrics;

namespace Personalization.Segmentation.Profiles;

/// <summary>What feeding profiles has cost since the service started.</summary>
/// <param name="ActorCalls">Calls to profile actors that applied events.</param>
/// <param name="EventsFed">Events those calls carried (a redelivered event counts again).</param>
/// <param name="LogReads">Reads of the event log for versions an actor waited on.</param>
public sealed record ProfileFeedTotals(long ActorCalls, long EventsFed, long LogReads);

/// <summary>
/// Counts actor calls, the events they carried and gap-filling log reads, for OpenTelemetry (observable counters)
/// and for the admin API (<see cref="Totals"/>) from the same numbers.
/// </summary>
public sealed class ProfileFeedMetrics
{
    public const string MeterName = "Personalization.Segmentation";

    private long _calls;
    private long _events;
    private long _logReads;

    public ProfileFeedMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableCounter("segmentation.profiles.actor_calls", () => Interlocked.Read(ref _calls), "{call}", "Calls to profile actors that applied events.");
        meter.CreateObservableCounter("segmentation.profiles.events_fed", () => Interlocked.Read(ref _events), "{event}", "Events handed to profile actors (a redelivered event counts again).");
        meter.CreateObservableCounter("segmentation.profiles.log_reads", () => Interlocked.Read(ref _logReads), "{read}", "Reads of the event log for versions an actor waited on.");
    }

    public ProfileFeedTotals Totals => new(Interlocked.Read(ref _calls), Interlocked.Read(ref _events), Interlocked.Read(ref _logReads));

    public void Called(int events)
    {
        Interlocked.Increment(ref _calls);
        Interlocked.Add(ref _events, events);
    }

    public void ReadLog() => Interlocked.Increment(ref _logReads);
}
