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
