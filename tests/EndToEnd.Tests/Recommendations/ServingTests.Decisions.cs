using System.Net;
using System.Text.Json;
using Personalization.TestSupport;

namespace Personalization.EndToEnd.Tests.Recommendations;

/// <summary>Content decisions over the real profile actor: the brief's "discount if the cart value exceeds $100", segments' grammar, the context, versions.</summary>
public partial class ServingTests
{
    private const string CheckoutOffer = """
        {"note": "free shipping over 100",
         "rules": [{"id": "big-cart", "if": {"profile": "cartValue", "gt": 100}, "content": {"banner": "free-shipping", "code": "SHIP100"}},
                   {"id": "mobile", "if": {"context": "device", "equals": "mobile"}, "content": {"layout": "compact"}}],
         "fallback": {"banner": "welcome"}}
        """;

    private async Task<JsonElement> DecideAsync(string query, string? token = ServingToken)
    {
        var (status, body, _) = await SendAsync(HttpMethod.Get, "/v1/decisions/checkout-offer" + query, token: token);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Test]
    public async Task A_cart_over_a_hundred_gets_the_discount_from_the_profile_in_real_time_and_rules_are_versioned()
    {
        using (var put = await _recommendation.Client.SendAsync(Platform.Admin(HttpMethod.Put, $"/admin/tenants/{_tenant}/placements/checkout-offer",
                   JsonDocument.Parse(CheckoutOffer).RootElement)))
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.Created), await put.Content.ReadAsStringAsync());

        var (big, small) = ("cart-big-" + Guid.NewGuid().ToString("N")[..6], "cart-small-" + Guid.NewGuid().ToString("N")[..6]);
        Assert.That((await DecideAsync($"?userId={big}")).GetProperty("rule").ValueKind, Is.EqualTo(JsonValueKind.Null), "an empty cart gets the fallback");
        await PostAsync([
            Event(big, "Product Added", DateTimeOffset.UtcNow, new { product_id = "sku-2", price = 60, quantity = 2 }),
            Event(small, "Product Added", DateTimeOffset.UtcNow, new { product_id = "sku-4", price = 30, quantity = 1 }),
        ]);
        var decided = await Eventually.ReturnsAsync(() => DecideAsync($"?userId={big}"), d => d.GetProperty("rule").GetString() == "big-cart",
            TimeSpan.FromSeconds(30), "the cart of 120 to reach the profile and the decision");
        Assert.That(decided.GetProperty("content").GetProperty("code").GetString(), Is.EqualTo("SHIP100"));
        Assert.That(decided.GetProperty("version").GetInt32(), Is.EqualTo(1));
        Assert.That(decided.GetProperty("profileRead").GetBoolean(), Is.True);

        var smallCart = await Eventually.ReturnsAsync(() => DecideAsync($"?userId={small}&device=mobile"), d => d.GetProperty("profileRead").GetBoolean(),
            TimeSpan.FromSeconds(10), "the small cart's profile");
        Assert.That(smallCart.GetProperty("rule").GetString(), Is.EqualTo("mobile"), "a cart of 30 falls through to the context rule");
        Assert.That((await DecideAsync("?device=desktop")).GetProperty("content").GetProperty("banner").GetString(), Is.EqualTo("welcome"));

        using (var second = await _recommendation.Client.SendAsync(Platform.Admin(HttpMethod.Put, $"/admin/tenants/{_tenant}/placements/checkout-offer",
                   JsonDocument.Parse(CheckoutOffer.Replace("\"gt\": 100", "\"gt\": 200")).RootElement)))
            Assert.That(JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetInt32(), Is.EqualTo(2));
        await Eventually.ReturnsAsync(() => DecideAsync($"?userId={big}"), d => d.GetProperty("version").GetInt32() == 2, TimeSpan.FromSeconds(10), "version 2 to be served");
        Assert.That((await DecideAsync($"?userId={big}")).GetProperty("rule").GetString(), Is.Not.EqualTo("big-cart"), "120 is under the new threshold");
        using (var versions = await _recommendation.Client.SendAsync(Platform.Admin(HttpMethod.Get, $"/admin/tenants/{_tenant}/placements/checkout-offer/versions")))
            Assert.That(JsonDocument.Parse(await versions.Content.ReadAsStringAsync()).RootElement.GetArrayLength(), Is.EqualTo(2), "the first version stays readable");
    }

    [Test]
    public async Task A_placement_runs_an_experiment_between_rule_versions_and_a_fallback_holdout_and_promotes_the_winner()
    {
        async Task PutPlacementAsync(string rules)
        {
            using var put = await _recommendation.Client.SendAsync(Platform.Admin(HttpMethod.Put, $"/admin/tenants/{_tenant}/placements/home-banner",
                JsonDocument.Parse(rules).RootElement));
            Assert.That(put.IsSuccessStatusCode, Is.True, await put.Content.ReadAsStringAsync());
        }
        await PutPlacementAsync("""{"rules": [{"id": "spring", "content": {"banner": "spring-sale"}}], "fallback": {"banner": "plain"}}""");
        await PutPlacementAsync("""{"rules": [{"id": "summer", "content": {"banner": "summer-sale"}}], "fallback": {"banner": "plain"}}""");
        var (created, _) = await AdminAsync(HttpMethod.Put, "/experiments/banner-test", new
        {
            placement = "home-banner",
            variants = new object[]
            {
                new { name = "spring", weight = 1, placementVersion = 1 },
                new { name = "summer", weight = 1, placementVersion = 2 },
                new { name = "plain", weight = 1, fallbackOnly = true },
            },
        });
        Assert.That(created, Is.EqualTo(HttpStatusCode.Created));

        var events = new List<string>();
        var seen = new Dictionary<string, string>();
        for (var n = 0; n < 30; n++)
        {
            var (status, body, _) = await SendAsync(HttpMethod.Get, $"/v1/decisions/home-banner?userId=banner-{n}");
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body);
            var decision = JsonDocument.Parse(body).RootElement;
            var variant = decision.GetProperty("variant").GetString()!;
            seen[$"banner-{n}"] = variant;
            Assert.That(decision.GetProperty("content").GetProperty("banner").GetString(), Is.EqualTo(variant switch
            {
                "spring" => "spring-sale", "summer" => "summer-sale", _ => "plain",
            }), "each variant shows its version's rules, the holdout only the fallback");
            var decisionId = decision.GetProperty("decisionId").GetString()!;
            Assert.That(decisionId, Does.EndWith($".home-banner.banner-test.{variant}"));
            events.Add(Event($"banner-{n}", "Decision Viewed", DateTimeOffset.UtcNow, new { decisionId }));
            if (variant == "summer") events.Add(Event($"banner-{n}", "Decision Clicked", DateTimeOffset.UtcNow, new { decisionId, rule = "summer" }));
        }
        Assert.That(seen.Values.Distinct().Count(), Is.EqualTo(3), "30 people fall in all three");
        await PostAsync(events);

        var results = await Eventually.ReturnsAsync(async () => (await AdminAsync(HttpMethod.Get, "/experiments/banner-test/results")).Body,
            r => r.GetProperty("variants").EnumerateArray().Sum(v => v.GetProperty("impressions").GetInt64()) == 30, TimeSpan.FromSeconds(30),
            "the decisions' views to be attributed");
        var byName = results.GetProperty("variants").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!);
        Assert.That(byName["summer"].GetProperty("ctr").GetDouble(), Is.EqualTo(1));
        Assert.That(byName["spring"].GetProperty("ctr").GetDouble(), Is.Zero);

        var (stopped, stop) = await AdminAsync(HttpMethod.Post, "/experiments/banner-test/stop", new { promote = "summer" });
        Assert.That(stopped, Is.EqualTo(HttpStatusCode.OK), stop.ToString());
        Assert.That(stop.GetProperty("promotedTo").GetProperty("version").GetInt32(), Is.EqualTo(3), "the winner's rules become the latest version");
        var after = await Eventually.ReturnsAsync(async () => JsonDocument.Parse((await SendAsync(HttpMethod.Get, "/v1/decisions/home-banner?userId=banner-0")).Body).RootElement.Clone(),
            d => d.GetProperty("version").GetInt32() == 3, TimeSpan.FromSeconds(10), "the promoted version to be served");
        Assert.That((after.GetProperty("content").GetProperty("banner").GetString(), after.GetProperty("experiment").ValueKind),
            Is.EqualTo(("summer-sale", JsonValueKind.Null)), "everyone gets the winner, outside any experiment");
    }

    [Test]
    public async Task Bad_rules_are_400s_naming_their_path_and_another_tenant_has_no_such_placement()
    {
        using (var bad = await _recommendation.Client.SendAsync(Platform.Admin(HttpMethod.Put, $"/admin/tenants/{_tenant}/placements/bad-offer",
                   JsonDocument.Parse("""{"rules": [{"id": "x", "if": {"context": "weather", "equals": "rain"}, "content": {"banner": "umbrella"}}]}""").RootElement)))
        {
            Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await bad.Content.ReadAsStringAsync(), Does.Contain("$.rules[0].if.context"));
        }
        Assert.That((await SendAsync(HttpMethod.Get, "/v1/decisions/bad-offer")).Status, Is.EqualTo(HttpStatusCode.NotFound), "nothing was stored");
        Assert.That((await SendAsync(HttpMethod.Get, "/v1/decisions/checkout-offer?timeZone=Mars/Olympus")).Status, Is.EqualTo(HttpStatusCode.BadRequest));
        using (var put = await _recommendation.Client.SendAsync(Platform.Admin(HttpMethod.Put, $"/admin/tenants/{_tenant}/placements/mine",
                   JsonDocument.Parse("""{"rules": [], "fallback": {"banner": "b"}}""").RootElement)))
            Assert.That(put.IsSuccessStatusCode, Is.True);
        Assert.That((await SendAsync(HttpMethod.Get, "/v1/decisions/mine", token: OtherTenantToken)).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
