using System.Net;
using System.Text.Json;
using Personalization.TestSupport;
using static Personalization.EndToEnd.Tests.Platform;

namespace Personalization.EndToEnd.Tests.Recommendations;

/// <summary>
/// Drift of a served model from real tracking events: its CTR falls (impressions and clicks through attribution)
/// and people turn to items training hardly saw; the check records both and queues one retraining.
/// </summary>
public class DriftTests
{
    private const int Products = 30;
    private readonly string _tenant = "drift-" + Guid.NewGuid().ToString("N")[..8];
    private string _writeKey = "";
    private ServiceProcess _recommendation = null!;

    private static object Track(string user, string name, DateTimeOffset at, object properties) => new
    {
        type = "track", @event = name, userId = user, messageId = Guid.NewGuid().ToString(), timestamp = at.ToString("O"), properties,
    };

    private async Task PostAsync(IEnumerable<object> events)
    {
        foreach (var batch in events.Chunk(150))
        {
            using var posted = await Ingestion.Client.SendAsync(Post("/v1/batch", JsonSerializer.Serialize(new { batch }), _writeKey));
            Assert.That(posted.StatusCode, Is.EqualTo(HttpStatusCode.OK), await posted.Content.ReadAsStringAsync());
        }
    }

    private async Task<JsonElement> AdminAsync(HttpMethod method, string path)
    {
        using var response = await _recommendation.Client.SendAsync(Admin(method, $"/admin/tenants/{_tenant}{path}"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.IsSuccessStatusCode, Is.True, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        using (var created = await Ingestion.Client.SendAsync(Admin(HttpMethod.Post, $"/admin/tenants/{_tenant}/sources", new { sourceId = "web" })))
            _writeKey = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetProperty("writeKey").GetString()!;
        // Training: 40 shoppers, mostly the first ten products.
        var random = new Random(3);
        var start = DateTimeOffset.UtcNow.AddDays(-40);
        await PostAsync(Enumerable.Range(0, 800).Select(n => Track($"shopper-{n % 40}", n % 5 == 0 ? "Order Completed" : "Product Viewed", start.AddMinutes(n * 30),
            n % 5 == 0 ? new { products = new[] { new { product_id = $"sku-{random.Next(10)}" } } }
                : (object)new { product_id = $"sku-{(random.NextDouble() < 0.9 ? random.Next(10) : 10 + random.Next(Products - 10))}" })));
        _recommendation = await ServiceProcess.StartAsync("services/Recommendation", new Dictionary<string, string>(Settings)
        {
            ["Recommendation__Training__Schedule"] = "00:00:00",
            ["Recommendation__Training__NewItemsDelay"] = "00:00:00",
            ["Recommendation__Drift__Action"] = "Retrain",
            // Checked when the test asks, not on a timer.
            ["Recommendation__Drift__CheckEvery"] = "00:00:00",
            ["Recommendation__Drift__MinimumInteractions"] = "100",
        });
        var job = (await AdminAsync(HttpMethod.Post, "/models/train")).GetProperty("jobId").GetString();
        await Eventually.ReturnsAsync(() => AdminAsync(HttpMethod.Get, $"/models/jobs/{job}"), j => j.GetProperty("state").GetString() == "succeeded",
            TimeSpan.FromSeconds(120), "the first training");
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _recommendation.DisposeAsync();

    [Test]
    public async Task A_falling_ctr_and_a_shift_to_the_long_tail_are_recorded_and_start_one_retraining()
    {
        var quiet = await AdminAsync(HttpMethod.Post, "/models/drift/check");
        Assert.That((quiet.GetProperty("drifted").GetBoolean(), quiet.GetProperty("action").GetString(), quiet.GetProperty("version").GetInt32()),
            Is.EqualTo((false, "none", 1)), quiet.ToString());

        // 1500 impressions of version 1 at a 25% CTR, then 1000 at 2%, one a second over the last hours.
        var random = new Random(8);
        var at = DateTimeOffset.UtcNow.AddHours(-2);
        var events = new List<object>();
        for (var n = 0; n < 2500; n++)
        {
            var id = $"{Guid.NewGuid():N}.1.home..";
            var user = $"shopper-{n % 40}";
            events.Add(Track(user, "Recommendation Viewed", at.AddSeconds(n), new { recommendationId = id, products = new[] { new { product_id = "sku-1" } } }));
            if (random.NextDouble() < (n < 1500 ? 0.25 : 0.02))
                events.Add(Track(user, "Product Clicked", at.AddSeconds(n).AddMilliseconds(500), new { recommendationId = id, product_id = "sku-1", position = 1 }));
        }
        // And what people look at now: the products training hardly saw.
        events.AddRange(Enumerable.Range(0, 300).Select(n => Track($"shopper-{n % 40}", "Product Viewed", DateTimeOffset.UtcNow.AddMinutes(-30).AddSeconds(n),
            new { product_id = $"sku-{20 + n % 10}" })));
        await PostAsync(events);

        var report = await Eventually.ReturnsAsync(() => AdminAsync(HttpMethod.Post, "/models/drift/check"),
            r => r.GetProperty("ctr").GetProperty("impressions").GetInt64() == 2500 && r.GetProperty("popularity").GetProperty("interactions").GetInt64() >= 300,
            TimeSpan.FromSeconds(60), "every impression and view to reach the check");
        var ctr = report.GetProperty("ctr");
        Assert.That((ctr.GetProperty("detected").GetBoolean(), ctr.GetProperty("fell").GetBoolean()), Is.EqualTo((true, true)), ctr.ToString());
        Assert.That(ctr.GetProperty("before").GetDouble(), Is.GreaterThan(0.15));
        Assert.That(ctr.GetProperty("now").GetDouble(), Is.LessThan(0.06));
        Assert.That(report.GetProperty("popularity").GetProperty("index").GetDouble(), Is.GreaterThan(0.25), report.ToString());
        Assert.That(report.GetProperty("drifted").GetBoolean(), Is.True);

        var checks = (await AdminAsync(HttpMethod.Get, "/models/drift")).GetProperty("checks").EnumerateArray().ToList();
        var retrainings = checks.Where(c => c.GetProperty("action").GetString() == "retraining").ToList();
        Assert.That(retrainings, Has.Count.EqualTo(1), "one retraining per activated version, however often it is checked");
        Assert.That(checks[0].GetProperty("checkedAt").GetDateTimeOffset(), Is.GreaterThan(checks[^1].GetProperty("checkedAt").GetDateTimeOffset()), "newest first");
        var job = retrainings[0].GetProperty("jobId").GetString();
        await Eventually.ReturnsAsync(() => AdminAsync(HttpMethod.Get, $"/models/jobs/{job}"), j => j.GetProperty("state").GetString() == "succeeded",
            TimeSpan.FromSeconds(120), "the retraining");
        var versions = (await AdminAsync(HttpMethod.Get, "/models")).GetProperty("versions").GetArrayLength();
        Assert.That(versions, Is.EqualTo(2), "the retraining stored a new version (activated only if it passes the activation rule)");
    }

    [Test]
    public async Task Another_tenant_has_no_checks()
    {
        using var response = await _recommendation.Client.SendAsync(Admin(HttpMethod.Get, $"/admin/tenants/another-{_tenant}/models/drift"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        using var check = await _recommendation.Client.SendAsync(Admin(HttpMethod.Post, $"/admin/tenants/another-{_tenant}/models/drift/check"));
        Assert.That(check.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "no model is served for it");
    }
}
