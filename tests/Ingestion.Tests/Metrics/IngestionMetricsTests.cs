using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Personalization.Ingestion.Metrics;
using Personalization.Ingestion.Validation;

namespace Personalization.Ingestion.Tests.Metrics;

public class IngestionMetricsTests
{
    [Test]
    public void Counts_are_tagged_with_tenant_source_and_reason()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new IngestionMetrics(services.GetRequiredService<IMeterFactory>());
        var seen = new List<(string Instrument, long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == IngestionMetrics.MeterName) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            seen.Add((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.Start();
        var origin = new EventOrigin("acme", "web", DateTimeOffset.UnixEpoch);

        metrics.Accepted(origin, 3);
        metrics.Deduplicated(origin, 2);
        metrics.Rejected(origin, 1, IngestionMetrics.TrackingPlanReason);
        metrics.Accepted(origin, 0);

        Assert.That(seen.Select(s => (s.Instrument, s.Value)), Is.EqualTo(new[]
        {
            ("ingestion.events.accepted", 3L), ("ingestion.events.deduplicated", 2L), ("ingestion.events.rejected", 1L),
        }), "zero counts are not recorded");
        Assert.That(seen[0].Tags, Is.EquivalentTo(new Dictionary<string, object?> { ["tenant"] = "acme", ["source"] = "web" }));
        Assert.That(seen[2].Tags["reason"], Is.EqualTo("tracking-plan"));
    }
}
