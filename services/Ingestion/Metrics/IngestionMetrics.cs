using System.Diagnostics.Metrics;
using Personalization.Ingestion.Validation;

namespace Personalization.Ingestion.Metrics;

/// <summary>Events accepted, rejected and deduplicated, per tenant and source (exported through OpenTelemetry).</summary>
public sealed class IngestionMetrics
{
    public const string MeterName = "Personalization.Ingestion";

    private readonly Counter<long> _accepted;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _deduplicated;

    public IngestionMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _accepted = meter.CreateCounter<long>("ingestion.events.accepted", "{event}", "Events stored for the first time.");
        _rejected = meter.CreateCounter<long>("ingestion.events.rejected", "{event}", "Messages refused as invalid; their whole request stored nothing.");
        _deduplicated = meter.CreateCounter<long>("ingestion.events.deduplicated", "{event}", "Messages already stored, skipped.");
    }

    public void Accepted(EventOrigin origin, int count) => Add(_accepted, origin, count);
    public void Rejected(EventOrigin origin, int count) => Add(_rejected, origin, count);
    public void Deduplicated(EventOrigin origin, int count) => Add(_deduplicated, origin, count);

    private static void Add(Counter<long> counter, EventOrigin origin, int count)
    {
        if (count > 0)
            counter.Add(count, new KeyValuePair<string, object?>("tenant", origin.TenantId), new KeyValuePair<string, object?>("source", origin.SourceId));
    }
}
