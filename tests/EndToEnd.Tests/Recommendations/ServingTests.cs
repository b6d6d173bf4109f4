using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Personalization.TestSupport;
using static Personalization.EndToEnd.Tests.Platform;

namespace Personalization.EndToEnd.Tests.Recommendations;

/// <summary>
/// The serving API over a model trained from events posted to the real tracking API, with a real catalog, the real
/// profile actor behind the sidecar emulator and real read tokens: 40 products (even ones under Home > Kitchen, odd
/// ones in Garden, every fifth on sale, sku-38 out of stock, sku-39 deleted) and 30 shoppers.
/// </summary>
public partial class ServingTests
{
    private const string ServingToken = "serving-read-token";
    private const string OtherTenantToken = "serving-other-tenant-token";
    private const int Products = 40;

    private readonly string _tenant = "serve-" + Guid.NewGuid().ToString("N")[..8];
    private readonly Dictionary<string, HashSet<string>> _had = [];
    private string _writeKey = "";
    private ServiceProcess _recommendation = null!;

    private sealed record Reason(string Kind, string Text, string? ItemId);
    private sealed record Summary(string Title, string? Category, decimal? Price);
    private sealed record Recommended(string ItemId, double Score, Reason[] Reasons, string[] ProposedBy, Summary? Item);
    private sealed record Answer(string RecommendationId, int ModelVersion, bool ProfileRead, Recommended[] Items);

    private static bool OnSale(int n) => n % 5 == 0;
    private static int Number(string sku) => int.Parse(sku["sku-".Length..]);

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        using (var created = await Ingestion.Client.SendAsync(Admin(HttpMethod.Post, $"/admin/tenants/{_tenant}/sources", new { sourceId = "web" })))
            _writeKey = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetProperty("writeKey").GetString()!;
        for (var n = 0; n < Products; n++)
        {
            var item = new
            {
                title = $"Product {n}", category = n % 2 == 0 ? "Home > Kitchen" : "Garden", price = 5 + n, currency = "EUR",
                tags = OnSale(n) ? new[] { "sale" } : [], availability = n == 38 ? "out_of_stock" : "in_stock",
            };
            using var put = await Ingestion.Client.SendAsync(Admin(HttpMethod.Put, $"/admin/tenants/{_tenant}/catalog/items/sku-{n}", item));
            Assert.That(put.IsSuccessStatusCode, Is.True, await put.Content.ReadAsStringAsync());
        }
        using (var deleted = await Ingestion.Client.SendAsync(Admin(HttpMethod.Delete, $"/admin/tenants/{_tenant}/catalog/items/sku-39")))
            Assert.That(deleted.IsSuccessStatusCode, Is.True);

        var random = new Random(11);
        var events = Enumerable.Range(0, 600).Select(n =>
        {
            var (user, sku) = ($"shopper-{n % 30}", $"sku-{random.Next(Products)}");
            (_had.TryGetValue(user, out var had) ? had : _had[user] = []).Add(sku);
            return Track(user, n % 4 == 0 ? "Order Completed" : "Product Viewed", sku, new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero).AddHours(n), "DE");
        });
        foreach (var batch in events.Chunk(150)) await PostAsync(batch);

        _recommendation = await ServiceProcess.StartAsync("services/Recommendation", new Dictionary<string, string>(Settings)
        {
            [$"Recommendation__AccessTokens__{ServingToken}"] = _tenant,
            [$"Recommendation__AccessTokens__{OtherTenantToken}"] = "another-" + _tenant,
            // These tests train once, by hand; ModelTrainingTests shows the schedule.
            ["Recommendation__Training__Schedule"] = "00:00:00",
        });
        using var train = await _recommendation.Client.SendAsync(Admin(HttpMethod.Post, $"/admin/tenants/{_tenant}/models/train"));
        var location = train.Headers.Location!.ToString();
        await Eventually.ReturnsAsync(async () => JsonDocument.Parse(await (await _recommendation.Client.SendAsync(Admin(HttpMethod.Get, location))).Content.ReadAsStringAsync()),
            job => job.RootElement.GetProperty("state").GetString() is "succeeded", TimeSpan.FromSeconds(120), "the training job to succeed");
        await Eventually.ReturnsAsync(() => SendAsync(HttpMethod.Get, "/v1/recommendations/users/shopper-1"),
            r => r.Status == HttpStatusCode.OK, TimeSpan.FromSeconds(20), "the replica to serve the trained version");
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _recommendation.DisposeAsync();

    private string Track(string user, string name, string sku, DateTimeOffset at, string? country = null) => JsonSerializer.Serialize(new
    {
        type = "track", @event = name, userId = user, messageId = Guid.NewGuid().ToString(), timestamp = at.ToString("O"),
        properties = name == "Order Completed" ? (object)new { products = new[] { new { product_id = sku } } } : new { productId = sku },
        context = country is null ? null : new { location = new { country } },
    }, WithoutNulls);

    private static readonly JsonSerializerOptions WithoutNulls = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private async Task PostAsync(IEnumerable<string> events)
    {
        using var posted = await Ingestion.Client.SendAsync(Post("/v1/batch", $$"""{"batch":[{{string.Join(',', events)}}]}""", _writeKey));
        Assert.That(posted.StatusCode, Is.EqualTo(HttpStatusCode.OK), await posted.Content.ReadAsStringAsync());
    }

    private async Task<(HttpStatusCode Status, string Body, string? MediaType)> SendAsync(HttpMethod method, string path, string? json = null, string? token = ServingToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json") };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _recommendation.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<Answer> AnswerAsync(string path, HttpMethod? method = null, string? json = null)
    {
        var (status, body, _) = await SendAsync(method ?? HttpMethod.Get, path, json);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body);
        return JsonSerializer.Deserialize<Answer>(body, JsonSerializerOptions.Web)!;
    }

    private static string Q(string text) => Uri.EscapeDataString(text);

    private static void AssertServable(IEnumerable<Recommended> items) =>
        Assert.That(items.Select(i => i.ItemId), Has.None.EqualTo("sku-38").And.None.EqualTo("sku-39"), "out-of-stock and deleted items are never served by default");

    [Test]
    public async Task A_shopper_gets_ten_items_they_have_not_had_each_with_its_reasons_and_generators()
    {
        var answer = await AnswerAsync("/v1/recommendations/users/shopper-1");
        var items = answer.Items;
        Assert.That(items, Has.Length.EqualTo(10));
        Assert.That(items.Select(i => i.ItemId), Is.Unique);
        Assert.That(items.Select(i => i.ItemId), Has.None.AnyOf([.. _had["shopper-1"]]), "items the shopper already had are not recommended again");
        AssertServable(items);
        Assert.That(items.Select(i => i.Score), Is.Ordered.Descending);
        Assert.That(items, Has.All.Matches<Recommended>(i => i.Reasons.Length > 0 && i.ProposedBy.Length > 0 && i.Item is not null));
        var viewed = items.SelectMany(i => i.Reasons).Where(r => r.Kind == "viewed").ToList();
        Assert.That(viewed, Is.Not.Empty, "some items are there because of what the shopper had");
        Assert.That(viewed.Select(r => r.ItemId).Except(_had["shopper-1"]), Is.Empty, "the reasons point at the shopper's own items");
        Assert.That(viewed.First().Text, Does.StartWith("because you viewed Product "));
        Assert.That((answer.ModelVersion, answer.ProfileRead), Is.EqualTo((1, true)));
        Assert.That(answer.RecommendationId, Does.Match("^[0-9a-f]{32}\\.1\\.\\.\\.$"), "a unique id naming the model version, and no scenario or experiment");
    }

    [Test]
    public async Task Count_exclude_filter_and_boost_shape_the_answer()
    {
        Assert.That((await AnswerAsync("/v1/recommendations/users/shopper-2?count=3")).Items, Has.Length.EqualTo(3));

        var first = (await AnswerAsync("/v1/recommendations/users/shopper-2")).Items.Take(2).Select(i => i.ItemId).ToArray();
        var without = await AnswerAsync($"/v1/recommendations/users/shopper-2?exclude={first[0]}&exclude={first[1]}");
        Assert.That(without.Items.Select(i => i.ItemId), Has.None.AnyOf(first));

        var filtered = await AnswerAsync($"/v1/recommendations/users/shopper-2?count=20&filter={Q("price <= 30 && category under \"Home\"")}");
        Assert.That(filtered.Items, Is.Not.Empty);
        Assert.That(filtered.Items, Has.All.Matches<Recommended>(i => Number(i.ItemId) % 2 == 0 && i.Item!.Price <= 30 && i.Item.Category == "Home > Kitchen"));

        // A shopper asked for the first time, so no item is damped for having been shown.
        var boosted = await AnswerAsync($"/v1/recommendations/users/shopper-5?boost={Q("tags contains \"sale\" by 100")}");
        var onSale = boosted.Items.TakeWhile(i => OnSale(Number(i.ItemId))).Count();
        Assert.That(onSale, Is.EqualTo(boosted.Items.Count(i => OnSale(Number(i.ItemId)))).And.GreaterThan(0), "every item on sale comes before the rest");
    }

    [Test]
    public async Task Asking_again_rotates_the_list_and_a_category_cap_holds()
    {
        var first = await AnswerAsync("/v1/recommendations/users/shopper-6?count=5");
        var second = await AnswerAsync("/v1/recommendations/users/shopper-6?count=5");
        Assert.That(second.Items.Select(i => i.ItemId), Is.Not.EqualTo(first.Items.Select(i => i.ItemId)), "items just shown are damped");

        var capped = await AnswerAsync("/v1/recommendations/users/shopper-7?maxPerCategory=2&diversity=0.5");
        Assert.That(capped.Items.GroupBy(i => i.Item!.Category).Select(g => g.Count()), Has.All.LessThanOrEqualTo(2));
        Assert.That(capped.Items, Has.Length.EqualTo(4), "two categories, two items each");
    }

    [Test]
    public async Task A_scenario_names_defaults_that_a_request_can_override()
    {
        async Task<HttpStatusCode> PutAsync(string name, object body)
        {
            using var response = await _recommendation.Client.SendAsync(Admin(HttpMethod.Put, $"/admin/tenants/{_tenant}/scenarios/{name}", body));
            return response.StatusCode;
        }
        var garden = new { count = 3, filter = "category under \"Garden\"", diversity = 0.2 };
        Assert.That(await PutAsync("garden-page", garden), Is.EqualTo(HttpStatusCode.Created));
        Assert.That(await PutAsync("garden-page", garden), Is.EqualTo(HttpStatusCode.OK), "a second put replaces");

        var answer = await AnswerAsync("/v1/recommendations/users/shopper-8?scenario=garden-page");
        Assert.That(answer.Items, Has.Length.EqualTo(3));
        Assert.That(answer.Items, Has.All.Matches<Recommended>(i => i.Item!.Category == "Garden"));
        var more = await AnswerAsync($"/v1/recommendations/users/shopper-8?scenario=garden-page&count=5&filter={Q("price > 20")}");
        Assert.That(more.Items, Has.Length.EqualTo(5), "the request's count wins");
        Assert.That(more.Items, Has.All.Matches<Recommended>(i => i.Item!.Category == "Garden" && i.Item.Price > 20), "both filters hold");

        Assert.That(await PutAsync("bad", new { filter = "price <" }), Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await PutAsync("no spaces allowed", garden), Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await PutAsync("with-context", new { context = new { country = "DE" } }), Is.EqualTo(HttpStatusCode.BadRequest));

        using (var listed = await _recommendation.Client.SendAsync(Admin(HttpMethod.Get, $"/admin/tenants/{_tenant}/scenarios")))
            Assert.That(await listed.Content.ReadAsStringAsync(), Does.Contain("\"garden-page\"").And.Not.Contain("\"bad\""));
        using (var deleted = await _recommendation.Client.SendAsync(Admin(HttpMethod.Delete, $"/admin/tenants/{_tenant}/scenarios/garden-page")))
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        using (var gone = await _recommendation.Client.SendAsync(Admin(HttpMethod.Get, $"/admin/tenants/{_tenant}/scenarios/garden-page")))
            Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await SendAsync(HttpMethod.Get, "/v1/recommendations/users/shopper-8?scenario=garden-page")).Status, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task The_same_options_go_in_a_json_body()
    {
        var answer = await AnswerAsync("/v1/recommendations/users/shopper-3", HttpMethod.Post,
            """{"count": 4, "context": {"country": "DE", "timeOfDay": "evening"}, "filter": "tags contains \"sale\" || price > 20", "exclude": ["sku-21"]}""");
        Assert.That(answer.Items, Has.Length.EqualTo(4));
        Assert.That(answer.Items, Has.All.Matches<Recommended>(i => OnSale(Number(i.ItemId)) || i.Item!.Price > 20));
        Assert.That(answer.Items.Select(i => i.ItemId), Has.None.EqualTo("sku-21"));
    }

    [Test]
    public async Task A_filter_that_asks_for_unavailable_items_gets_them()
    {
        var answer = await AnswerAsync($"/v1/recommendations/users/someone-new?filter={Q("availability == \"out_of_stock\"")}");
        Assert.That(answer.Items.Select(i => i.ItemId), Is.EqualTo(new[] { "sku-38" }));
    }

    [Test]
    public async Task Debug_adds_the_rankers_feature_contributions_to_each_item_and_only_then()
    {
        // This tenant's small history is served by EASE, which has no ranker: the lists are there and empty (the
        // hybrid's contributions are tested in HybridRecommenderTests).
        var (_, plain, _) = await SendAsync(HttpMethod.Get, "/v1/recommendations/users/shopper-2");
        var (status, debug, _) = await SendAsync(HttpMethod.Get, "/v1/recommendations/users/shopper-2?debug=true");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), debug);
        Assert.That(JsonDocument.Parse(plain).RootElement.GetProperty("items").EnumerateArray().Any(i => i.TryGetProperty("contributions", out _)), Is.False);
        var items = JsonDocument.Parse(debug).RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.That(items, Has.All.Matches<JsonElement>(i => i.TryGetProperty("contributions", out var c) && c.ValueKind == JsonValueKind.Array
            && c.EnumerateArray().All(x => x.GetProperty("feature").GetString()!.Length > 0 && x.GetProperty("value").ValueKind == JsonValueKind.Number)));
        Assert.That(items, Has.Count.EqualTo(10));
    }

    [TestCase("count=0", "count")]
    [TestCase("count=101", "count")]
    [TestCase("count=ten", "count")]
    [TestCase("diversity=1.5", "diversity")]
    [TestCase("timeOfDay=noon", "context.timeOfDay")]
    [TestCase("maxPerCategory=0", "maxPerCategory")]
    [TestCase("modelVersion=0", "modelVersion")]
    [TestCase("modelVersion=latest", "modelVersion")]
    [TestCase("debug=maybe", "debug")]
    public async Task Options_out_of_range_are_a_400_that_names_them(string query, string field)
    {
        var (status, body, mediaType) = await SendAsync(HttpMethod.Get, $"/v1/recommendations/users/shopper-1?{query}");
        Assert.That((status, mediaType), Is.EqualTo((HttpStatusCode.BadRequest, "application/problem+json")), body);
        Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(field, out _), Is.True, body);
    }

    [Test]
    public async Task A_bad_filter_a_bad_boost_an_unknown_scenario_and_a_bad_body_are_400s_that_say_where()
    {
        var (status, body, _) = await SendAsync(HttpMethod.Get, $"/v1/recommendations/users/shopper-1?filter={Q("price <= 20 && colour == \"red\"")}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.That((problem.GetProperty("parameter").GetString(), problem.GetProperty("position").GetInt32()), Is.EqualTo(("filter", 15)));
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("unknown field 'colour'"));

        (status, body, _) = await SendAsync(HttpMethod.Get, $"/v1/recommendations/items/sku-1/related?boost={Q("tags contains \"sale\"")}");
        Assert.That((status, JsonDocument.Parse(body).RootElement.GetProperty("parameter").GetString()), Is.EqualTo((HttpStatusCode.BadRequest, "boost")));

        (status, body, _) = await SendAsync(HttpMethod.Get, "/v1/recommendations/users/shopper-1?scenario=nowhere");
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain("nowhere"));

        (status, _, _) = await SendAsync(HttpMethod.Post, "/v1/recommendations/users/shopper-1", "{not json");
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        (status, body, _) = await SendAsync(HttpMethod.Post, "/v1/recommendations/users/shopper-1", """{"count": "many", "exclude": "sku-1"}""");
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
        Assert.That((status, errors.TryGetProperty("count", out _), errors.TryGetProperty("exclude", out _)), Is.EqualTo((HttpStatusCode.BadRequest, true, true)), body);
    }

    [Test]
    public async Task Someone_unknown_gets_the_popular_items_of_their_country_never_an_error()
    {
        var answer = await AnswerAsync("/v1/recommendations/users/first-visit-" + Guid.NewGuid().ToString("N")[..6] + "?country=DE");
        Assert.That(answer.Items, Has.Length.EqualTo(10));
        AssertServable(answer.Items);
        Assert.That(answer.Items.SelectMany(i => i.Reasons).Select(r => r.Kind), Has.Some.EqualTo("popular-in"));
        Assert.That(answer.Items.SelectMany(i => i.Reasons).First(r => r.Kind == "popular-in").Text, Is.EqualTo("popular in DE"));
    }

    [Test]
    public async Task Declared_interests_seed_a_new_persons_first_answer()
    {
        var user = "onboarded-" + Guid.NewGuid().ToString("N")[..6];
        await PostAsync([JsonSerializer.Serialize(new
        {
            type = "identify", userId = user, messageId = Guid.NewGuid().ToString(), timestamp = DateTimeOffset.UtcNow.ToString("O"),
            traits = new { favoriteCategories = new[] { "Garden" } },
        })]);
        var answer = await Eventually.ReturnsAsync(() => AnswerAsync($"/v1/recommendations/users/{user}"),
            a => a.Items.Any(i => i.Reasons.Any(r => r.Kind == "interest")), TimeSpan.FromSeconds(30), "the declared interest to reach the answer");
        var top = answer.Items.Take(5).ToList();
        Assert.That(top, Has.All.Matches<Recommended>(i => Number(i.ItemId) % 2 == 1), "the first items are in the declared category");
        Assert.That(top.SelectMany(i => i.Reasons).First(r => r.Kind == "interest").Text, Is.EqualTo("matches your interest in Garden"));
    }

    [Test]
    public async Task A_product_view_changes_the_next_answer_without_retraining()
    {
        var user = "live-" + Guid.NewGuid().ToString("N")[..6];
        var before = await AnswerAsync($"/v1/recommendations/users/{user}");
        Assert.That(before.Items.SelectMany(i => i.Reasons).Select(r => r.Kind), Has.None.EqualTo("viewed"));

        await PostAsync([Track(user, "Product Viewed", "sku-7", DateTimeOffset.UtcNow)]);
        var after = await Eventually.ReturnsAsync(() => AnswerAsync($"/v1/recommendations/users/{user}"),
            a => a.Items.Any(i => i.Reasons.Any(r => r.Kind == "viewed" && r.ItemId == "sku-7")), TimeSpan.FromSeconds(30), "the view to reach the answer");
        Assert.That(after.ModelVersion, Is.EqualTo(before.ModelVersion), "the same model answers differently");
        Assert.That(after.Items.Select(i => i.ItemId), Has.None.EqualTo("sku-7"), "the viewed item itself is not recommended back");
        Assert.That(after.Items.Select(i => i.ItemId), Is.Not.EqualTo(before.Items.Select(i => i.ItemId)));
    }

    [TestCase("Product Clicked", "viewed")]
    [TestCase("Order Completed", "bought")]
    public async Task A_click_or_a_purchase_changes_the_next_answer_without_retraining(string name, string reason)
    {
        var user = "learner-" + Guid.NewGuid().ToString("N")[..6];
        var before = await AnswerAsync($"/v1/recommendations/users/{user}");
        object properties = name == "Order Completed"
            ? new { order_id = $"{user}-order", products = new[] { new { product_id = "sku-12", price = 17 } } }
            : new { product_id = "sku-12", recommendation_id = before.RecommendationId, position = 1 };

        await PostAsync([Event(user, name, DateTimeOffset.UtcNow, properties)]);
        var after = await Eventually.ReturnsAsync(() => AnswerAsync($"/v1/recommendations/users/{user}"),
            a => a.Items.Any(i => i.Reasons.Any(r => r.Kind == reason && r.ItemId == "sku-12")), TimeSpan.FromSeconds(30), $"the {name} to reach the answer");
        Assert.That(after.ModelVersion, Is.EqualTo(before.ModelVersion), "the same model answers differently");
        Assert.That(after.Items.Select(i => i.ItemId), Has.None.EqualTo("sku-12"), "the item itself is not recommended back");
        Assert.That(after.Items.Select(i => i.ItemId), Is.Not.EqualTo(before.Items.Select(i => i.ItemId)));
    }

    [Test]
    public async Task A_product_page_and_a_cart_get_items_that_go_with_theirs()
    {
        var related = await AnswerAsync("/v1/recommendations/items/sku-3/related?count=5");
        Assert.That(related.Items, Has.Length.EqualTo(5));
        Assert.That(related.Items.Select(i => i.ItemId), Has.None.EqualTo("sku-3"));
        Assert.That(related.Items.SelectMany(i => i.Reasons), Has.Some.Matches<Reason>(r => r.Kind == "bought-together" && r.ItemId == "sku-3"));

        var cart = await AnswerAsync("/v1/recommendations/cart", HttpMethod.Post, """{"items": ["sku-2", "sku-4"], "count": 5}""");
        Assert.That(cart.Items.Select(i => i.ItemId), Has.None.AnyOf("sku-2", "sku-4"));
        Assert.That(cart.Items.SelectMany(i => i.Reasons), Has.Some.Matches<Reason>(r => r.Kind == "cart" && r.Text == "similar to items in your cart"));
        AssertServable(cart.Items);

        var (status, body, _) = await SendAsync(HttpMethod.Post, "/v1/recommendations/cart", """{"items": []}""");
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), body);
        Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty("items", out _), Is.True);
    }

    [Test]
    public async Task Another_tenants_token_sees_nothing_and_a_missing_or_wrong_token_is_a_401()
    {
        var (status, body, _) = await SendAsync(HttpMethod.Get, "/v1/recommendations/users/shopper-1", token: OtherTenantToken);
        Assert.That(status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "the other tenant has no model, whatever this one has");
        Assert.That(body, Does.Not.Contain("sku-"));
        Assert.That((await SendAsync(HttpMethod.Get, "/v1/recommendations/users/shopper-1", token: null)).Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await SendAsync(HttpMethod.Get, "/v1/recommendations/users/shopper-1", token: "not-a-token")).Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await SendAsync(HttpMethod.Get, "/v1/recommendations/users/shopper-1", token: AdminToken)).Status, Is.EqualTo(HttpStatusCode.Unauthorized),
            "the admin token is not a read token");
    }
}
