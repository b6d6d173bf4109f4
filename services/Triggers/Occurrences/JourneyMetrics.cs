using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Personalization.Triggers.Occurrences;

/// <summary>Journey entries, steps, sends queued, and how late waits end after their time (exported through OpenTelemetry).</summary>
public sealed class JourneyMetrics
{
    public const string MeterName = "Personalization.Triggers";

    private readonly Counter<long> _entered;
    private readonly Counter<long> _steps;
    private readonly Counter<long> _queued;
    private readonly Histogram<double> _lateness;

    public JourneyMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _entered = meter.CreateCounter<long>("triggers.journey.entries", "{occurrence}", "Occurrences started (held-out entrants included).");
        _steps = meter.CreateCounter<long>("triggers.journey.steps", "{step}",
            "What happened at journey steps, by outcome as the journey's record names it (entered, waiting, branched, queued, timedOut ...).");
        _queued = meter.CreateCounter<long>("triggers.sends.queued", "{message}", "Messages written to the outbox by journey steps.");
        _lateness = meter.CreateHistogram<double>("triggers.wait.lateness", "ms", "How long after its time a wait ended.");
    }

    public void Entered(Occurrence o) => _entered.Add(1, Tags(o));

    /// <summary>A turn written: the records of its steps, and the messages it queued.</summary>
    public void Written(Occurrence o, Turn turn)
    {
        foreach (var record in turn.Records)
            _steps.Add(1, new TagList { { "tenant", o.TenantId }, { "journey", o.JourneyId }, { "outcome", record.Outcome } });
        if (turn.Sends.Count > 0) _queued.Add(turn.Sends.Count, Tags(o));
    }

    public void Woke(Occurrence o, TimeSpan late) => _lateness.Record(late.TotalMilliseconds, Tags(o));

    private static TagList Tags(Occurrence o) => new() { { "tenant", o.TenantId }, { "journey", o.JourneyId } };
}
