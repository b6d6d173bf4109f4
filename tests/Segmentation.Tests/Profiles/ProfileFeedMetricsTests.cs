using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Personalization.Contracts;
using Personalization.Contracts.V1;
using Personalization.Segmentation.Profiles;

namespace Personalization.Segmentation.Tests.Profiles;

public class ProfileFeedMetricsTests
{
    private static EventRecorded ReceivedAt(DateTimeOffset at, long version) => new(
        Guid.NewGuid(), version, "t", "web", StreamKey.ForUser("t", "u").ToString(), version, $"m-{version}", EventTypes.Track, "x", "u", null,
        at, at, JsonSerializer.SerializeToElement(new { }));

    [Test]
    public void A_call_counts_its_events_and_how_long_after_ingestion_each_was_applied()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new ProfileFeedMetrics(services.GetRequiredService<IMeterFactory>());
        var latencies = new List<double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ProfileFeedMetrics.MeterName && instrument.Name == "segmentation.profiles.apply_latency")
                    l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => latencies.Add(value));
        listener.Start();

        var appliedAt = DateTimeOffset.Parse("2026-12-07T10:00:01Z");
        metrics.Called([ReceivedAt(appliedAt.AddMilliseconds(-250), 1), ReceivedAt(appliedAt.AddMilliseconds(-40), 2), ReceivedAt(appliedAt.AddSeconds(1), 3)], appliedAt);

        Assert.That(latencies, Is.EqualTo(new[] { 250d, 40d, 0d }), "a clock behind ingestion's counts as no delay, not a negative one");
        Assert.That(metrics.Totals, Is.EqualTo(new ProfileFeedTotals(ActorCalls: 1, EventsFed: 3, LogReads: 0)));
    }
}
