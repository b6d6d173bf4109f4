using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using static Personalization.EndToEnd.Tests.Platform;

namespace Personalization.EndToEnd.Tests;

/// <summary>A source with a tracking plan: bad events are dead-lettered with reasons, never dropped, and replayable.</summary>
public class TrackingPlanTests
{
    private sealed record Accepted(bool Success, int Stored, int Duplicates, int DeadLettered);
    private sealed record DeadLetterView(Guid Id, string SourceId, int PlanVersion, string MessageId, string Type, string? Name, List<string> Reasons, DateTimeOffset ReceivedAt, DateTimeOffset? ReplayedAt);
    private sealed record ReplayOutcome(int Replayed, int StillFailing, int Stored, int Duplicates);

    private static async Task<T> SendAsync<T>(HttpRequestMessage request, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await Ingestion.Client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web))!;
    }

    private static object Plan(bool requireOrderId) => new
    {
        events = new Dictionary<string, object>
        {
            ["Order Completed"] = new
            {
                type = "object",
                required = requireOrderId ? new[] { "order_id" } : [],
                properties = new { order_id = new { type = "string" }, revenue = new { type = "number" } },
            },
        },
    };

    [Test]
    public async Task Events_breaking_the_plan_are_dead_lettered_and_replayed_once_the_plan_is_fixed()
    {
        var tenant = "plan-" + Guid.NewGuid().ToString("N")[..8];
        var created = await SendAsync<JsonElement>(Admin(HttpMethod.Post, $"/admin/tenants/{tenant}/sources", new { sourceId = "shop" }), HttpStatusCode.Created);
        var key = created.GetProperty("key").GetProperty("writeKey").GetString()!;
        await SendAsync<JsonElement>(Admin(HttpMethod.Put, $"/admin/tenants/{tenant}/sources/shop/tracking-plan", Plan(requireOrderId: true)));

        var accepted = await SendAsync<Accepted>(Post("/v1/batch", """
            {"batch":[
              {"type":"track","event":"Order Completed","userId":"u1","messageId":"good","properties":{"order_id":"o1","revenue":5}},
              {"type":"track","event":"Order Completed","userId":"u1","messageId":"bad","properties":{"revenue":"lots"}},
              {"type":"track","event":"Product Viewed","userId":"u1","messageId":"unplanned","properties":{}}
            ]}
            """, key));

        Assert.That(accepted, Is.EqualTo(new Accepted(true, 2, 0, 1)), "a 2xx even with a dead letter, so SDKs do not drop or retry the batch");
        var letters = await SendAsync<List<DeadLetterView>>(Admin(HttpMethod.Get, $"/admin/tenants/{tenant}/dead-letters"));
        Assert.That(letters.Single().MessageId, Is.EqualTo("bad"));
        Assert.That(letters.Single().Reasons, Has.Some.Contains("order_id").And.Some.Contains("revenue"));
        Assert.That(letters.Single().PlanVersion, Is.EqualTo(1));

        var stillBroken = await SendAsync<ReplayOutcome>(Admin(HttpMethod.Post, $"/admin/tenants/{tenant}/dead-letters/replay", new { }));
        Assert.That(stillBroken, Is.EqualTo(new ReplayOutcome(0, 1, 0, 0)), "replaying against the same plan changes nothing");

        await SendAsync<JsonElement>(Admin(HttpMethod.Put, $"/admin/tenants/{tenant}/sources/shop/tracking-plan", new
        {
            events = new Dictionary<string, object> { ["Order Completed"] = new { type = "object" } },
        }));
        var replayed = await SendAsync<ReplayOutcome>(Admin(HttpMethod.Post, $"/admin/tenants/{tenant}/dead-letters/replay", new { }));

        Assert.That(replayed, Is.EqualTo(new ReplayOutcome(1, 0, 1, 0)));
        Assert.That(await Database.ScalarAsync<long>("select count(*) from ingestion.mt_events where stream_id = @s", ("s", $"{tenant}/user:u1")), Is.EqualTo(3));
        Assert.That(await SendAsync<List<DeadLetterView>>(Admin(HttpMethod.Get, $"/admin/tenants/{tenant}/dead-letters")), Is.Empty);
        var again = await SendAsync<ReplayOutcome>(Admin(HttpMethod.Post, $"/admin/tenants/{tenant}/dead-letters/replay", new { }));
        Assert.That(again.Replayed, Is.Zero);
    }

    [Test]
    public async Task A_plan_that_is_not_json_schema_is_refused_and_the_old_plan_stays()
    {
        var tenant = "plan-" + Guid.NewGuid().ToString("N")[..8];
        await SendAsync<JsonElement>(Admin(HttpMethod.Put, $"/admin/tenants/{tenant}/sources/app/tracking-plan", Plan(requireOrderId: true)));

        using var refused = await Ingestion.Client.SendAsync(Admin(HttpMethod.Put, $"/admin/tenants/{tenant}/sources/app/tracking-plan",
            new { events = new Dictionary<string, object> { ["Order Completed"] = 42 } }));
        var current = await SendAsync<JsonElement>(Admin(HttpMethod.Get, $"/admin/tenants/{tenant}/sources/app/tracking-plan"));

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("events.Order Completed"));
        Assert.That(current.GetProperty("version").GetInt32(), Is.EqualTo(1));
    }
}
