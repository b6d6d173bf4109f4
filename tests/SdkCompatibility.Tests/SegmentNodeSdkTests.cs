using System.Text.Json;

namespace Personalization.SdkCompatibility.Tests;

/// <summary>The unmodified @segment/analytics-node SDK (version pinned in node/package.json) pointed at Ingestion.</summary>
public class SegmentNodeSdkTests
{
    [Test]
    public async Task Segment_node_sdk_delivers_every_call_type_exactly_once()
    {
        var publisher = IngestionUnderTest.NewPublisher();

        var run = await NodeSdks.RunAsync(NodeSdks.Segment, IngestionUnderTest.Ingestion.BaseAddress, publisher.WriteKey);

        await Delivery.AssertEveryCallStoredExactlyOnceAsync(run, publisher);
        // Segment counts 2xx and 3xx alike as delivered, so only the statuses it saw prove nothing was redirected.
        Assert.That(run.Statuses, Is.Not.Empty.And.All.EqualTo(200));
        Assert.That(run.Delivered.Select(m => m.MessageId), Is.All.Matches(@"^node-next-\d{13}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"),
            "the SDK's own message ids are stored as it made them");
    }

    [Test]
    public async Task Segment_node_sdk_batches_with_basic_auth_and_batch_level_write_key_are_accepted()
    {
        var publisher = IngestionUnderTest.NewPublisher();
        await using var recorder = await SdkTrafficRecorder.StartAsync(IngestionUnderTest.Ingestion.BaseAddress);

        var run = await NodeSdks.RunAsync(NodeSdks.Segment, recorder.BaseAddress, publisher.WriteKey);

        var requests = recorder.Requests;
        Assert.That(requests, Has.Count.GreaterThan(1), "the calls fill more than one batch");
        Assert.Multiple(() =>
        {
            foreach (var request in requests)
            {
                Assert.That(request.Path, Is.EqualTo("/v1/batch"));
                Assert.That(request.Authorization, Is.EqualTo(Delivery.BasicAuthorization(publisher.WriteKey)), "Basic auth, write key as user name");
                Assert.That(request.ContentType, Is.EqualTo("application/json"));
                Assert.That(request.ContentEncoding, Is.Null);
                Assert.That(request.Body?.GetProperty("writeKey").GetString(), Is.EqualTo(publisher.WriteKey), "write key repeated in the body");
                Assert.That(request.Body?.GetProperty("sentAt").ValueKind, Is.EqualTo(JsonValueKind.String), "batch-level sentAt");
                Assert.That(request.Batch, Has.All.Matches<JsonElement>(m => m.GetProperty("_metadata").ValueKind == JsonValueKind.Object
                    && m.GetProperty("context").GetProperty("library").GetProperty("name").GetString() == "@segment/analytics-node"));
                Assert.That(request.IngestionStatus, Is.EqualTo(200), $"request {request.Number}: {request.IngestionAnswer}");
            }
            Assert.That(requests.SelectMany(r => r.MessageIds), Is.EquivalentTo(run.Delivered.Select(m => m.MessageId)), "no retries were needed");
        });
        await Delivery.AssertEveryCallStoredExactlyOnceAsync(run, publisher);
    }

    // Timeouts use a 2 s request timeout instead of the SDK's default 10 s, to keep the suite fast; the path is the same.
    [TestCase(FirstAnswer.ServiceUnavailable)]
    [TestCase(FirstAnswer.TooManyRequests)]
    [TestCase(FirstAnswer.NoAnswer)]
    public async Task Segment_node_sdk_resending_a_batch_that_was_already_stored_stores_nothing_twice(FirstAnswer firstAnswer)
    {
        var publisher = IngestionUnderTest.NewPublisher();
        await using var recorder = await SdkTrafficRecorder.StartAsync(IngestionUnderTest.Ingestion.BaseAddress, firstAnswer);

        var run = await NodeSdks.RunAsync(NodeSdks.Segment, recorder.BaseAddress, publisher.WriteKey,
            httpTimeout: firstAnswer == FirstAnswer.NoAnswer ? TimeSpan.FromSeconds(2) : null);

        var resend = Delivery.AssertFirstBatchWasResentAndStoredNothing(recorder.Requests);
        Assert.That(resend.RetryCount, Is.EqualTo("1"), "Segment marks its retries with X-Retry-Count");
        await Delivery.AssertEveryCallStoredExactlyOnceAsync(run, publisher);
    }
}
