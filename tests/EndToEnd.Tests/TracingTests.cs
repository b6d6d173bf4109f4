using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Personalization.EndToEnd.Tests.Segments;
using Personalization.TestSupport;
using static Personalization.EndToEnd.Tests.Platform;
using static Personalization.EndToEnd.Tests.Triggers.TriggersCalls;

namespace Personalization.EndToEnd.Tests;

/// <summary>
/// One tracked event is one trace: the W3C trace context of the tracking request is stored with the event, the relay
/// continues it when it publishes, Segmentation's consumer and the profile actor's turn through the sidecar continue
/// the relay's, the segment entry it causes is published in the turn's trace, and Triggers' journey turn, the send it
/// queues and the recommendation call of that send follow, so every span shares the request's trace id and hangs
/// together as one tree.
/// </summary>
public class TracingTests
{
    private ServiceProcess _recommendation = null!;
    private string _traceId = null!, _caller = null!;

    /// <summary>One tracked event, traced by its caller, that puts its person in a segment whose journey emails them recommendations.</summary>
    [OneTimeSetUp]
    public async Task SendTheEventAsync()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var (segment, tracked) = ($"traced-{run}", $"Traced {run}");
        await SegmentCalls.DefineAsync(segment, JsonSerializer.Serialize(new { name = "Traced", condition = new { performed = tracked } }), HttpStatusCode.Created);
        await AdminAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/templates/{segment}", new
        {
            name = "Traced", channel = "email", subject = "Picked for you",
            html = "{% for item in recommendations %}{{ item.itemId }} {% endfor %}", fallback = new { subject = "For you", html = "<p>New in.</p>" },
        });
        await AdminAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/journeys/{segment}", new
        {
            name = "Traced", entry = new { segmentEntered = segment },
            steps = new object[] { new { id = "email", send = new { channel = "email", template = segment } } },
        });
        await AdminAsync(HttpMethod.Post, $"/admin/tenants/{Tenant}/journeys/{segment}/publish");
        _recommendation = await StartRecommendationAsync(new Dictionary<string, string> { ["Recommendation__Training__Schedule"] = "00:00:00" });

        (_traceId, _caller) = (ActivityTraceId.CreateRandom().ToHexString(), ActivitySpanId.CreateRandom().ToHexString());
        var user = "traced-" + run;
        var batch = JsonSerializer.Serialize(new
        {
            batch = new object[]
            {
                new { type = "identify", userId = user, messageId = $"{user}-identify", traits = new { email = $"{user}@example.com" } },
                new { type = "track", @event = tracked, userId = user, messageId = $"{user}-1" },
            },
        });
        var request = Post("/v1/batch", batch);
        request.Headers.Add("traceparent", $"00-{_traceId}-{_caller}-01");
        using (var response = await Ingestion.Client.SendAsync(request))
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var smtp = new SmtpInbox(await LocalInfrastructure.EnsureStartedAsync());
        await Eventually.ReturnsAsync(() => smtp.ToAsync($"{user}@example.com"), m => m.Count > 0, TimeSpan.FromSeconds(60), "the email the segment entry causes");
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _recommendation.DisposeAsync();

    [Test]
    public async Task A_tracked_event_is_one_trace_from_the_request_to_the_email_it_causes()
    {
        var spans = await Eventually.ReturnsAsync(() => Task.FromResult(Otlp.Trace(_traceId)), s => Stage(s).All(found => found.Value) && IsTree(s, _caller),
            TimeSpan.FromSeconds(60), "the spans of every stage, joined in one tree");

        Assert.That(Stage(spans), Has.All.Matches<KeyValuePair<string, bool>>(stage => stage.Value), string.Join("\n", spans));
        Assert.That(IsTree(spans, _caller), Is.True, "every span's parent is the caller's span or another span of the trace");
        Assert.That(spans.Where(s => s.ParentSpanId == _caller).Select(s => s.Service), Is.EqualTo(new[] { "Personalization.Ingestion" }),
            "the tracking request is the root, under the caller's span");
    }

    /// <summary>The metrics the dashboard and the alerts read, as each service exports them once the event has passed.</summary>
    [TestCase("Personalization.Ingestion", "ingestion.events.accepted")]
    [TestCase("Personalization.Ingestion", "ingestion.relay.lag")]
    [TestCase("Personalization.Segmentation", "segmentation.profiles.actor_calls")]
    [TestCase("Personalization.Segmentation", "segmentation.profiles.apply_latency")]
    [TestCase("Personalization.Segmentation", "segmentation.segments.transitions")]
    [TestCase("Personalization.Segmentation", "messaging.queue.depth")]
    [TestCase("Personalization.Triggers", "triggers.journey.entries")]
    [TestCase("Personalization.Triggers", "triggers.journey.steps")]
    [TestCase("Personalization.Triggers", "triggers.sends.queued")]
    [TestCase("Personalization.Triggers", "triggers.sends")]
    [TestCase("Personalization.Recommendation", "recommendation.serving.duration")]
    public async Task The_event_moves_the_operators_metrics(string service, string metric) =>
        await Eventually.ReturnsAsync(() => Task.FromResult(Otlp.Metrics.ContainsKey((service, metric))), found => found, TimeSpan.FromSeconds(30),
            $"{service} to export {metric}");

    private static Dictionary<string, bool> Stage(IReadOnlyList<ReceivedSpan> spans)
    {
        bool Served(string service, string route) => spans.Any(s => s.Service == service && s.Scope == "Microsoft.AspNetCore" && s.Name.Contains(route));
        return new()
        {
            ["the tracking request"] = Served("Personalization.Ingestion", "/v1/batch"),
            ["the relay's publish"] = spans.Any(s => s.Name == "relay EventsRecorded"),
            ["Segmentation's consumer"] = spans.Any(s => s.Service == "Personalization.Segmentation" && s.Scope == "MassTransit"),
            ["the profile actor's call"] = spans.Any(s => s.Name == "profile apply"),
            ["the profile actor's turn"] = Served("Personalization.Segmentation", "actors/"),
            ["the segment entry's publish"] = spans.Any(s => s.Name == "publish SegmentEntered"),
            ["Triggers' consumers"] = spans.Any(s => s.Service == "Personalization.Triggers" && s.Scope == "MassTransit"),
            ["the journey actor's turn"] = Served("Personalization.Triggers", "actors/"),
            ["the send"] = spans.Any(s => s.Name == "send email"),
            ["the recommendation call"] = Served("Personalization.Recommendation", "recommendations/users"),
        };
    }

    private static bool IsTree(IReadOnlyList<ReceivedSpan> spans, string caller)
    {
        var ids = spans.Select(s => s.SpanId).ToHashSet();
        return spans.Count > 0 && spans.All(s => s.ParentSpanId == caller || (s.ParentSpanId is { } parent && ids.Contains(parent)));
    }
}
