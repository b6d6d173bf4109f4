using System.Text;
using Personalization.Contracts;

namespace Personalization.SdkCompatibility.Tests;

/// <summary>The checks every SDK run must pass: what the SDK delivered is what the event store holds, once each.</summary>
public static class Delivery
{
    // node/calls.js gives this time to one "Order Completed" track call per round.
    private static readonly DateTimeOffset ExplicitTimestamp = new(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    /// <summary>
    /// A run with one call Ingestion cannot take ("Bad Time", see node/calls.js): every request got a 200, none was
    /// sent twice, every other call is stored once, and the bad one waits as a dead letter.
    /// </summary>
    public static async Task AssertTakenInPartAsync(SdkRun run, Publisher publisher, IReadOnlyList<RecordedRequest> requests)
    {
        var stored = await IngestionUnderTest.StoredEventsAsync(publisher.Tenant);
        Assert.Multiple(() =>
        {
            Assert.That(run.Failures, Is.Empty, "the SDK reported failed deliveries");
            Assert.That(run.Delivered, Has.Count.EqualTo(run.Calls), "the SDK reports every call delivered, the bad one too");
            Assert.That(requests.Select(r => r.IngestionStatus), Is.All.EqualTo(200));
            Assert.That(requests.SelectMany(r => r.MessageIds), Is.Unique, "no batch was sent again");
            Assert.That(requests.Sum(r => r.Stored ?? 0), Is.EqualTo(run.Calls - 1));
            Assert.That(stored.Select(e => e.MessageId), Is.EquivalentTo(run.Delivered.Select(m => m.MessageId).Except(requests.SelectMany(r => r.InvalidMessageIds))),
                "everything else is stored once");
            Assert.That(requests.SelectMany(r => r.InvalidMessageIds).ToList(), Has.Count.EqualTo(1));
        });
        Assert.That(await IngestionUnderTest.DeadLetterCountAsync(publisher.Tenant), Is.EqualTo(1), "the bad call waits as a dead letter");
    }

    public static async Task AssertEveryCallStoredExactlyOnceAsync(SdkRun run, Publisher publisher)
    {
        var stored = await IngestionUnderTest.StoredEventsAsync(publisher.Tenant);
        var delivered = run.Delivered;

        Assert.Multiple(() =>
        {
            Assert.That(run.Version, Is.EqualTo(NodeSdks.PinnedVersion(run.Sdk)), "the installed SDK is not the pinned one");
            Assert.That(run.Failures, Is.Empty, "the SDK reported failed deliveries");
            Assert.That(delivered.Select(m => m.MessageId), Is.Unique);
            Assert.That(delivered, Has.Count.EqualTo(run.Calls), "every call is reported delivered");
            Assert.That(delivered.Select(m => m.Type).Distinct(), Is.EquivalentTo(EventTypes.All), "every call type was sent");
            Assert.That(stored.Select(e => e.MessageId), Is.EquivalentTo(delivered.Select(m => m.MessageId)),
                "the tenant's event store holds each delivered message exactly once, and nothing else");
        });

        var byId = stored.GroupBy(e => e.MessageId).ToDictionary(g => g.Key, g => g.First());
        Assert.Multiple(() =>
        {
            foreach (var sent in delivered)
            {
                if (!byId.TryGetValue(sent.MessageId, out var e)) continue; // already reported above
                var stream = sent.UserId is { Length: > 0 } ? StreamKey.ForUser(publisher.Tenant, sent.UserId) : StreamKey.For(publisher.Tenant, null, sent.AnonymousId);
                Assert.That(e.Type, Is.EqualTo(sent.Type), $"type of {sent.MessageId}");
                Assert.That(e.StreamId, Is.EqualTo(stream.ToString()), $"stream of {sent.MessageId}");
                Assert.That(e.UserId, Is.EqualTo(sent.UserId), $"userId of {sent.MessageId}");
                Assert.That(e.AnonymousId, Is.EqualTo(sent.AnonymousId), $"anonymousId of {sent.MessageId}");
                Assert.That(e.Timestamp, Is.EqualTo(sent.Timestamp), $"time of {sent.MessageId}");
                Assert.That(e.Payload.GetProperty("messageId").GetString(), Is.EqualTo(sent.MessageId), $"payload of {sent.MessageId}");
            }

            var orders = stored.Where(e => e.Name == "Order Completed").ToList();
            Assert.That(orders, Has.Count.EqualTo(2));
            Assert.That(orders.Select(e => e.Timestamp), Is.All.EqualTo(ExplicitTimestamp), "a caller's own timestamp is kept");
            var reviews = stored.Where(e => e.Name == "Review Written").Select(e => e.Payload.GetProperty("properties")).ToList();
            Assert.That(reviews, Has.Count.EqualTo(2));
            Assert.That(reviews.Select(p => p.GetProperty("title").GetString()), Is.All.EqualTo("Great \uFFFD"), "half an emoji is kept as U+FFFD");
            Assert.That(reviews.Select(p => p.GetProperty("note").GetString()), Is.All.EqualTo("nul\uFFFDinside"), "a NUL is kept as U+FFFD");
            var viewed = stored.First(e => e.Name == "Product Viewed").Payload.GetProperty("properties");
            Assert.That(viewed.GetProperty("price").GetDecimal(), Is.EqualTo(19.99m), "properties arrive as sent");
            Assert.That(viewed.GetProperty("nested").GetProperty("depth").GetInt32(), Is.EqualTo(1), "nested properties arrive as sent");
        });
    }

    /// <summary>
    /// The first request was stored on arrival but the SDK was told otherwise; exactly one later request re-sent the
    /// same messages, and Ingestion answered it as all duplicates.
    /// </summary>
    public static RecordedRequest AssertFirstBatchWasResentAndStoredNothing(IReadOnlyList<RecordedRequest> requests)
    {
        Assert.That(requests, Is.Not.Empty, "the SDK sent nothing through the proxy");
        var first = requests[0];
        var resends = requests.Skip(1).Where(r => r.MessageIds.SequenceEqual(first.MessageIds)).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(first.IngestionStatus, Is.EqualTo(200), "Ingestion accepted the first attempt");
            Assert.That(first.Stored, Is.EqualTo(first.MessageIds.Count), "the first attempt was stored in full");
            Assert.That(resends, Has.Count.EqualTo(1), "the SDK re-sent the failed-looking batch once");
        });
        var resend = resends[0];
        Assert.Multiple(() =>
        {
            Assert.That(resend.IngestionStatus, Is.EqualTo(200));
            Assert.That(resend.StatusToSdk, Is.EqualTo(200));
            Assert.That(resend.Stored, Is.EqualTo(0), "the re-sent batch stored nothing");
            Assert.That(resend.Duplicates, Is.EqualTo(first.MessageIds.Count), "every re-sent message was recognised as stored");
            Assert.That(requests.Where(r => r.Number != first.Number), Has.All.Property(nameof(RecordedRequest.StatusToSdk)).EqualTo(200));
        });
        return resend;
    }

    public static string BasicAuthorization(string writeKey) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":"));
}
