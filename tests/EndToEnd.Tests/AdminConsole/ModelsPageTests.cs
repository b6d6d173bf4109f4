using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Playwright;
using Personalization.TestSupport;
using static Personalization.EndToEnd.Tests.Triggers.TriggersCalls;

namespace Personalization.EndToEnd.Tests.AdminConsole;

/// <summary>The Models pages: versions with metrics and training time, activating an older one, and an experiment's results.</summary>
public class ModelsPageTests
{
    private const string ReadToken = "e2e-console-recommendation-token";
    private const string Experiment = "console-exp";
    private ServiceProcess _recommendation = null!;

    [OneTimeSetUp]
    public async Task TrainAsync()
    {
        var (_, writeKey) = await Sources.CreateAsync();
        var random = new Random(5);
        var start = DateTimeOffset.UtcNow.AddDays(-10);
        await PostEventsAsync(Enumerable.Range(0, 300).Select(n => (object)new
        {
            type = "track", userId = $"console-shopper-{n % 20}", @event = n % 4 == 0 ? "Order Completed" : "Product Viewed",
            timestamp = start.AddHours(n * 0.75).ToString("O"),
            properties = n % 4 == 0 ? (object)new { products = new[] { new { product_id = $"sku-{random.Next(25)}" } } } : new { productId = $"sku-{random.Next(25)}" },
        }), writeKey);
        _recommendation = await Platform.StartRecommendationAsync(new Dictionary<string, string>
        {
            ["Recommendation__Training__Schedule"] = "00:00:00",
            [$"Recommendation__AccessTokens__{ReadToken}"] = ConsoleHost.Tenant,
        });
        await TrainOnceAsync();
        await TrainOnceAsync();
        // The replica picks the active version up from the registry a moment after training.
        await Eventually.ReturnsAsync(() => AdminAsync(HttpMethod.Get, "/models"), m => m.GetProperty("servedHere").ValueKind == JsonValueKind.Number,
            TimeSpan.FromSeconds(30), "the active version to be served");
        await AdminAsync(HttpMethod.Put, "/scenarios/console-home", new { count = 3 });
        await AdminAsync(HttpMethod.Put, $"/experiments/{Experiment}", new
        {
            scenario = "console-home",
            variants = new object[] { new { name = "control", weight = 1 }, new { name = "holdout", weight = 1, popularityOnly = true } },
        });
        for (var n = 0; n < 12; n++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/recommendations/users/console-shopper-{n}?scenario=console-home");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ReadToken);
            using var served = await _recommendation.Client.SendAsync(request);
            Assert.That(served.StatusCode, Is.EqualTo(HttpStatusCode.OK), await served.Content.ReadAsStringAsync());
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_recommendation is not null) await _recommendation.DisposeAsync();
    }

    [Test]
    public async Task Versions_show_their_metrics_and_training_time_and_an_older_one_can_be_served_again()
    {
        var models = await AdminAsync(HttpMethod.Get, "/models");
        var versions = models.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()).Order().ToList();
        Assert.That(versions, Has.Count.GreaterThanOrEqualTo(2));
        var active = models.GetProperty("activeVersion").GetInt32();
        var older = versions.Last(v => v != active);

        var page = await ConsoleHost.SignedInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Models" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Cell, new() { Name = older.ToString(), Exact = true }) });
        var ndcg = models.GetProperty("versions").EnumerateArray().First(v => v.GetProperty("version").GetInt32() == older).GetProperty("summary").GetProperty("metrics").GetProperty("ndcg").GetDouble();
        Assert.That(await row.InnerTextAsync(), Does.Contain(ndcg.ToString("F4")).And.Match(@"\d+\.\d s"), "the held-out NDCG and the training time");
        Assert.That(await page.GetByRole(AriaRole.Img, new() { Name = "Held-out NDCG by version" }).IsVisibleAsync(), Is.True);

        await row.GetByRole(AriaRole.Button).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button).Filter(new() { HasNotText = "Cancel" }).ClickAsync();
        await page.GetByText($"Version {older} is now served.").WaitForAsync();
        Assert.That((await AdminAsync(HttpMethod.Get, "/models")).GetProperty("activeVersion").GetInt32(), Is.EqualTo(older));
    }

    [Test]
    public async Task An_experiment_shows_each_variants_ctr_and_conversion_with_the_verdict()
    {
        var results = await AdminAsync(HttpMethod.Get, $"/experiments/{Experiment}/results");
        var page = await ConsoleHost.SignedInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Models" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = Experiment }).ClickAsync();

        Assert.That(await page.Locator(".verdict").InnerTextAsync(), Is.EqualTo(results.GetProperty("verdict").GetString()));
        foreach (var variant in results.GetProperty("variants").EnumerateArray())
        {
            var name = variant.GetProperty("name").GetString()!;
            var row = page.GetByRole(AriaRole.Row).Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"^{name}") });
            Assert.That(await row.Locator("td").Nth(1).InnerTextAsync(), Is.EqualTo(variant.GetProperty("people").GetInt64().ToString()), name);
            Assert.That(await row.Locator("td").Nth(2).InnerTextAsync(), Is.EqualTo(variant.GetProperty("impressions").GetInt64().ToString()), name);
        }
        Assert.That(results.GetProperty("variants").EnumerateArray().Sum(v => v.GetProperty("people").GetInt64()), Is.GreaterThan(0), "the people served are counted");
        Assert.That(await page.GetByRole(AriaRole.Img, new() { Name = "CTR per variant" }).IsVisibleAsync(), Is.True);
        Assert.That(await page.GetByRole(AriaRole.Img, new() { Name = "Conversion per variant" }).IsVisibleAsync(), Is.True);
    }

    [Test]
    public async Task A_profile_shows_the_persons_recommendations_with_their_reasons()
    {
        var page = await ConsoleHost.SignedInAsync();
        await page.GotoAsync("/#/profiles/console-shopper-3");
        var list = page.GetByRole(AriaRole.List, new() { Name = "Recommendations" });
        await list.WaitForAsync();
        Assert.That(await list.Locator(":scope > li").CountAsync(), Is.InRange(1, 5));
        Assert.That(await list.Locator(".reasons li").AllInnerTextsAsync(), Has.Some.Not.Empty, "each item says why");
    }

    private async Task TrainOnceAsync()
    {
        using var train = await _recommendation.Client.SendAsync(Platform.Admin(HttpMethod.Post, ConsoleHost.AdminPath("/models/train")));
        var job = train.Headers.Location!.ToString();
        var done = await Eventually.ReturnsAsync(async () => JsonDocument.Parse(await (await _recommendation.Client.SendAsync(Platform.Admin(HttpMethod.Get, job))).Content.ReadAsStringAsync()).RootElement.Clone(),
            j => j.GetProperty("state").GetString() is "succeeded" or "failed", TimeSpan.FromSeconds(120), "the training job");
        Assert.That(done.GetProperty("state").GetString(), Is.EqualTo("succeeded"), done.ToString());
    }

    private async Task<JsonElement> AdminAsync(HttpMethod method, string path, object? body = null)
    {
        using var response = await _recommendation.Client.SendAsync(Platform.Admin(method, ConsoleHost.AdminPath($"{path}"), body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.IsSuccessStatusCode, Is.True, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
