using Personalization.TestSupport;

namespace Personalization.SdkCompatibility.Tests;

/// <summary>
/// The SDKs against an Ingestion replica whose per-key rate limit (one request a second) turns most of their
/// batches away with 429 and Retry-After: they must wait, re-send, and lose nothing.
/// </summary>
public class RateLimitTests
{
    private ServiceProcess _limited = null!;
    private Queue<Publisher> _publishers = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var (ingestion, publishers) = await IngestionUnderTest.StartIngestionAsync(2, new Dictionary<string, string>
        {
            ["Ingestion__RateLimit__RequestsPerSecond"] = "1",
            ["Ingestion__RateLimit__Burst"] = "1",
        });
        (_limited, _publishers) = (ingestion, new Queue<Publisher>(publishers));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_limited is not null) await _limited.DisposeAsync();
    }

    [Test]
    public Task Segment_node_sdk_held_back_by_the_rate_limit_delivers_everything_exactly_once() => DeliversEverythingAsync(NodeSdks.Segment);

    [Test]
    public Task Rudder_node_sdk_held_back_by_the_rate_limit_delivers_everything_exactly_once() => DeliversEverythingAsync(NodeSdks.Rudder);

    private async Task DeliversEverythingAsync(string sdk)
    {
        var publisher = _publishers.Dequeue();
        await using var recorder = await SdkTrafficRecorder.StartAsync(_limited.BaseAddress);

        var run = await NodeSdks.RunAsync(sdk, recorder.BaseAddress, publisher.WriteKey);

        var requests = recorder.Requests;
        var turnedAway = requests.Where(r => r.IngestionStatus == 429).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(turnedAway, Is.Not.Empty, "the rate limit turned batches away");
            Assert.That(turnedAway.Select(r => r.Stored), Has.All.Null, "a 429 stores nothing");
            Assert.That(requests.Select(r => r.IngestionStatus), Has.All.AnyOf(200, 429));
        });
        await Delivery.AssertEveryCallStoredExactlyOnceAsync(run, publisher);
    }
}
