using System.Text.Json;

namespace Personalization.SdkCompatibility.Tests;

/// <summary>The unmodified @rudderstack/rudder-sdk-node SDK (version pinned in node/package.json) pointed at Ingestion.</summary>
public class RudderNodeSdkTests
{
    [Test]
    public async Task Rudder_node_sdk_delivers_every_call_type_exactly_once()
    {
        var publisher = IngestionUnderTest.NewPublisher();

        var run = await NodeSdks.RunAsync(NodeSdks.Rudder, IngestionUnderTest.Ingestion.BaseAddress, publisher.WriteKey);

        await Delivery.AssertEveryCallStoredExactlyOnceAsync(run, publisher);
        Assert.That(run.Delivered.Where(m => m.Type == "alias").Select(m => m.UserId), Does.Contain("4201"),
            "Rudder turns a numeric user id into a string, and that is the stream it lands in");
    }

    [Test]
    public async Task Rudder_node_sdk_gzips_a_form_labelled_body_and_sends_its_first_event_alone()
    {
        var publisher = IngestionUnderTest.NewPublisher();
        await using var recorder = await SdkTrafficRecorder.StartAsync(IngestionUnderTest.Ingestion.BaseAddress);

        var run = await NodeSdks.RunAsync(NodeSdks.Rudder, recorder.BaseAddress, publisher.WriteKey);

        var requests = recorder.Requests;
        Assert.That(requests, Has.Count.GreaterThan(2), "the first event alone, then full batches");
        var first = requests[0];
        Assert.Multiple(() =>
        {
            Assert.That(first.Batch, Has.Count.EqualTo(1), "the first event goes out alone, at once");
            Assert.That(first.Batch[0].GetProperty("type").GetString(), Is.EqualTo("identify"));
            Assert.That(first.Batch[0].GetProperty("userId").GetString(), Is.EqualTo("user-1-1"), "it is the first call made");
            foreach (var request in requests)
            {
                Assert.That(request.Path, Is.EqualTo("/v1/batch"));
                Assert.That(request.Authorization, Is.EqualTo(Delivery.BasicAuthorization(publisher.WriteKey)), "Basic auth, write key as user name");
                Assert.That(request.ContentType, Is.EqualTo("application/x-www-form-urlencoded"), "Rudder labels its JSON as a form");
                Assert.That(request.ContentEncoding, Is.EqualTo("gzip"));
                Assert.That(request.Gzipped, Is.True, $"request {request.Number} is gzip on the wire");
                Assert.That(request.Body?.GetProperty("sentAt").ValueKind, Is.EqualTo(JsonValueKind.String), "batch-level sentAt");
                Assert.That(request.Batch, Has.All.Matches<JsonElement>(m =>
                    m.GetProperty("sentAt").ValueKind == JsonValueKind.String
                    && m.GetProperty("originalTimestamp").ValueKind == JsonValueKind.String
                    && m.GetProperty("channel").GetString() == "server"), "per-message sentAt, originalTimestamp and channel");
                Assert.That(request.IngestionStatus, Is.EqualTo(200), $"request {request.Number}: {request.IngestionAnswer}");
            }
            Assert.That(requests.Skip(1).Max(r => r.Batch.Count), Is.EqualTo(20), "later calls are batched, 20 at most");
            Assert.That(requests.SelectMany(r => r.MessageIds), Is.EquivalentTo(run.Delivered.Select(m => m.MessageId)), "no retries were needed");
        });
        await Delivery.AssertEveryCallStoredExactlyOnceAsync(run, publisher);
    }

    // No timeout case: Rudder does not retry a timed-out request (axios-retry 4.5 excludes ECONNABORTED and Rudder's
    // retry condition adds nothing for it), so a timeout loses the batch whatever the service does.
    [TestCase(FirstAnswer.ServiceUnavailable)]
    [TestCase(FirstAnswer.TooManyRequests)]
    public async Task Rudder_node_sdk_resending_a_batch_that_was_already_stored_stores_nothing_twice(FirstAnswer firstAnswer)
    {
        var publisher = IngestionUnderTest.NewPublisher();
        await using var recorder = await SdkTrafficRecorder.StartAsync(IngestionUnderTest.Ingestion.BaseAddress, firstAnswer);

        var run = await NodeSdks.RunAsync(NodeSdks.Rudder, recorder.BaseAddress, publisher.WriteKey);

        var requests = recorder.Requests;
        var resend = Delivery.AssertFirstBatchWasResentAndStoredNothing(requests);
        Assert.That(resend.Body?.GetRawText(), Is.EqualTo(requests[0].Body?.GetRawText()), "Rudder re-sends the very same body");
        await Delivery.AssertEveryCallStoredExactlyOnceAsync(run, publisher);
    }
}
