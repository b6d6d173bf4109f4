using static Personalization.EndToEnd.Outages.OutagePlatform;

namespace Personalization.EndToEnd.Outages;

/// <summary>
/// A self-hosted platform contacts nothing it was not configured to. MassTransit, left alone, posts usage data to its
/// vendor five minutes after its bus starts; every process here has a proxy that would catch that (or any such call).
/// </summary>
[Category(Category), Order(3)]
public class NoCallsHomeTests
{
    private static readonly TimeSpan MassTransitReportsAfter = TimeSpan.FromMinutes(5);

    [Test]
    public async Task No_service_calls_out_in_its_first_minutes()
    {
        var until = StartedAt + MassTransitReportsAfter + TimeSpan.FromSeconds(40);
        if (DateTime.UtcNow < until) await Task.Delay(until - DateTime.UtcNow);

        Assert.That(CallsHome.Requests, Is.Empty, "requests that went to the proxy");
        foreach (var service in new[] { Processes.Ingestion, Processes.Relay, Processes.Sidecar, Processes.Segmentation, Processes.Triggers })
            Assert.That(service.Output, Does.Not.Contain("usage telemetry").IgnoreCase, $"{service.BaseAddress} logs no attempt to report usage");
    }
}
