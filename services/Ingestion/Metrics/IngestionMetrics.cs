using System.Diagnostics;
using System.Diagnostics.Metrics;
using Personalization.Ingestion.Validation;

namespace Personalization.Ingestion.Metrics;

/// <summary>Events accepted, rejected and deduplicated, per tenant and source (exported through OpenTelemetry).</summary>
public sealed class IngestionMetrics
{
    public const string MeterName = "Personalization.Ingestion";
    public const string InvalidReason = "invalid";
    public const string TrackingPlanReason = "tracking-plan";
    public const string StoreReason = "refused-by-store";

    private readonly Counter<long> _accepted;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _deduplicated;

    public IngestionMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _accepted = meter.CreateCounter<long>("ingestion.events.accepted", "{event}", "Events stored for the first time.");
        _rejected = meter.CreateCounter<long>("ingestion.events.rejected", "{event}", "Messages not stored: invalid (their whole request refused) or dead-lettered by a tracking plan.");
        _deduplicated = meter.CreateCounter<long>("ingestion.events.deduplicated", "{event}", "Messages already stored, skipped.");
    }

    public void Accepted(EventOrigin origin, int count) => Add(_accepted, origin, count);
    public void Rejected(EventOrigin origin, int count, string reason) => Add(_rejected, origin, count, reason);
    public void Deduplicated(EventOrigin origin, int count) => Add(_deduplicated, origin, count);

    private static void Add(Counter<long> counter, EventOrigin origin, int count, string? reason = null)
    {
        if (count <= 0) return;
        var tags = new TagList { { "tenant", origin.TenantId }, { "source", origin.SourceId } };
        if (reason is not null) tags.Add("reason", reason);
        counter.Add(count, tags);
    }
}
