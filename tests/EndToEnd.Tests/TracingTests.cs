using System.Diagnostics;
using System.Net;
using Personalization.TestSupport;
using static Personalization.EndToEnd.Tests.Platform;

namespace Personalization.EndToEnd.Tests;

/// <summary>
/// One tracked event is one trace: the W3C trace context of the tracking request is stored with the event, the relay
/// continues it when it publishes, and the consumers in Segmentation and Triggers continue the relay's, so their spans
/// share the request's trace id and hang together as one tree.
/// </summary>
public class TracingTests
{
    [Test]
    public async Task A_tracked_event_is_one_trace_through_ingestion_the_relay_segmentation_and_triggers()
    {
        var (traceId, caller) = (ActivityTraceId.CreateRandom().ToHexString(), ActivitySpanId.CreateRandom().ToHexString());
        var user = "traced-" + Guid.NewGuid().ToString("N")[..8];
        var message = System.Text.Json.JsonSerializer.Serialize(new { type = "track", @event = "Product Viewed", userId = user, messageId = $"{user}-1", properties = new { product_id = "sku-1" } });
        var request = Post("/v1/batch", $$"""{"batch":[{{message}}]}""");
        request.Headers.Add("traceparent", $"00-{traceId}-{caller}-01");
        using (var response = await Ingestion.Client.SendAsync(request))
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await Profiles.WithCountAsync(user, 1);

        var spans = await Eventually.ReturnsAsync(() => Task.FromResult(Otlp.Trace(traceId)), s => Stage(s).All(found => found.Value) && IsTree(s, caller),
            TimeSpan.FromSeconds(60), "the spans of every stage, joined in one tree");

        Assert.That(Stage(spans), Has.All.Matches<KeyValuePair<string, bool>>(stage => stage.Value), string.Join("\n", spans));
        Assert.That(IsTree(spans, caller), Is.True, "every span's parent is the caller's span or another span of the trace");
        Assert.That(spans.Where(s => s.ParentSpanId == caller).Select(s => s.Service), Is.EqualTo(new[] { "Personalization.Ingestion" }),
            "the tracking request is the root, under the caller's span");
    }

    private static Dictionary<string, bool> Stage(IReadOnlyList<ReceivedSpan> spans) => new()
    {
        ["the tracking request"] = spans.Any(s => s.Service == "Personalization.Ingestion" && s.Scope == "Microsoft.AspNetCore"),
        ["the relay's publish"] = spans.Any(s => s.Name == "relay EventsRecorded"),
        ["Segmentation's consumer"] = spans.Any(s => s.Service == "Personalization.Segmentation" && s.Scope == "MassTransit"),
        ["Triggers' consumer"] = spans.Any(s => s.Service == "Personalization.Triggers" && s.Scope == "MassTransit"),
    };

    private static bool IsTree(IReadOnlyList<ReceivedSpan> spans, string caller)
    {
        var ids = spans.Select(s => s.SpanId).ToHashSet();
        return spans.Count > 0 && spans.All(s => s.ParentSpanId == caller || (s.ParentSpanId is { } parent && ids.Contains(parent)));
    }
}
