using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Personalization.Triggers.Occurrences;

/// <summary>Journey entries, sends queued, and how late waits end after their time (exported through OpenTelemetry).</summary>
public sealed class JourneyMetrics
{
    public const string MeterName = "Personalization.Triggers";

    private readonly Counter<long> _entered;
    private readonly Counter<long> _queued;
    private readonly Histogram<double> _lateness;

    public JourneyMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _entered = meter.CreateCounter<long>("triggers.journey.entries", "{occurrence}", "Occurrences started (held-out entrants included).");
        _queued = meter.CreateCounter<long>("triggers.sends.queued", "{message}", "Messages written to the outbox by journey steps.");
        _lateness = meter.CreateHistogram<double>("triggers.wait.lateness", "ms", "How long after its time a wait ended.");
    }

    public void Entered(Occurrence o) => _entered.Add(1, Tags(o));

    public void Queued(Occurrence o, int count)
    {
        if (count > 0) _queued.Add(count, Tags(o));
    }

    public void Woke(Occurrence o, TimeSpan late) => _lateness.Record(late.TotalMilliseconds, Tags(o));

    private static TagList Tags(Occurrence o) => new() { { "tenant", o.TenantId }, { "journey", o.JourneyId } };
}
