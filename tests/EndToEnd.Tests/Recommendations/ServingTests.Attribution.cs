using System.Net;
using System.Text.Json;
using Personalization.TestSupport;

namespace Personalization.EndToEnd.Tests.Recommendations;

/// <summary>
/// Attribution from real tracking events: responses served under an experiment, then their views, clicks and
/// orders posted to the tracking API, counted per scenario, model version and variant, and the same after a rebuild.
/// </summary>
public partial class ServingTests
{
    private string Event(string user, string name, DateTimeOffset at, object properties) => JsonSerializer.Serialize(new
    {
        type = "track", @event = name, userId = user, messageId = Guid.NewGuid().ToString(), timestamp = at.ToString("O"), properties,
    });

    [Test]
    public async Task Views_clicks_and_purchases_of_clicked_items_within_the_window_are_attributed_and_a_rebuild_gives_the_same_figures()
    {
        Assert.That((await AdminAsync(HttpMethod.Put, "/scenarios/attr-home", new { count = 4 })).Status, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await AdminAsync(HttpMethod.Put, "/experiments/attr-exp", new { scenario = "attr-home", variants = Variants(1, 1) })).Status,
            Is.EqualTo(HttpStatusCode.Created));
        var shown = new List<(string User, ArmAnswer Answer)>();
        for (var n = 0; n < 8; n++) shown.Add(($"shopper-{n}", await ArmAsync($"shopper-{n}", "attr-home")));

        var day = DateTimeOffset.UtcNow.Date.AddDays(-3);
        var at = new DateTimeOffset(day, TimeSpan.Zero).AddHours(9);
        var events = new List<string>();
        for (var n = 0; n < shown.Count; n++)
        {
            var (user, answer) = shown[n];
            var first = answer.Items[0].ItemId;
            events.Add(Event(user, "Recommendation Viewed", at, new { recommendationId = answer.RecommendationId, products = answer.Items.Select(i => new { product_id = i.ItemId }) }));
            if (n < 6) events.Add(Event(user, "Product Clicked", at.AddMinutes(1), new { recommendation_id = answer.RecommendationId, product_id = first, position = 1 }));
            if (n < 3) // bought the clicked item (two of it) and one that was not clicked
                events.Add(Event(user, "Order Completed", at.AddMinutes(5), new
                {
                    order_id = $"order-{n}",
                    products = new object[] { new { product_id = first, price = 10, quantity = 2 }, new { product_id = "sku-not-clicked", price = 99 } },
                }));
            if (n == 3) // bought the clicked item, but after the 24 h window
                events.Add(Event(user, "Order Completed", at.AddHours(30), new { order_id = "order-late", products = new[] { new { product_id = first, price = 10 } } }));
        }
        await PostAsync(events);

        var period = $"?from={day:yyyy-MM-dd}&to={DateTime.UtcNow:yyyy-MM-dd}&scenario=attr-home";
        var stats = await Eventually.ReturnsAsync(async () => (await AdminAsync(HttpMethod.Get, "/recommendations/stats" + period)).Body,
            s => Total(s, "conversions") == 3 && Total(s, "clicks") == 6 && Total(s, "impressions") == 8, TimeSpan.FromSeconds(30),
            "the views, clicks and orders to be attributed");
        Assert.That(Total(stats, "revenue"), Is.EqualTo(60), "3 orders × 2 × 10; the unclicked item and the late order are not credited");
        var days = stats.GetProperty("days").EnumerateArray().ToList();
        Assert.That(days.Select(d => d.GetProperty("day").GetString()).Distinct(), Is.EqualTo(new[] { $"{day:yyyy-MM-dd}" }));
        Assert.That(days.Select(d => d.GetProperty("variant").GetString()).Order(), Is.EqualTo(shown.Select(s => s.Answer.Variant).Distinct().Order()));
        Assert.That(days, Has.All.Matches<JsonElement>(d => d.GetProperty("modelVersion").GetInt32() >= 1 && d.GetProperty("experiment").GetString() == "attr-exp"));
        var control = days.SingleOrDefault(d => d.GetProperty("variant").GetString() == "control");
        if (control.ValueKind == JsonValueKind.Object)
            Assert.That(control.GetProperty("impressions").GetInt64(), Is.EqualTo(shown.Count(s => s.Answer.Variant == "control")));

        var (_, results) = await AdminAsync(HttpMethod.Get, "/experiments/attr-exp/results");
        var variants = results.GetProperty("variants").EnumerateArray().ToList();
        Assert.That(variants.Sum(v => v.GetProperty("people").GetInt64()), Is.EqualTo(8));
        Assert.That(variants.Sum(v => v.GetProperty("impressions").GetInt64()), Is.EqualTo(8));
        Assert.That(results.GetProperty("enough").GetBoolean(), Is.False);
        Assert.That(results.GetProperty("verdict").GetString(), Does.StartWith("not enough data"));
        for (var n = 0; n < shown.Count; n++)
        {
            var variant = variants.Single(v => v.GetProperty("name").GetString() == shown[n].Answer.Variant);
            var inVariant = shown.Where(s => s.Answer.Variant == shown[n].Answer.Variant).Select(s => shown.IndexOf(s)).ToList();
            Assert.That(variant.GetProperty("ctr").GetDouble(), Is.EqualTo(inVariant.Count(i => i < 6) / (double)inVariant.Count).Within(1e-9));
        }

        var (accepted, _) = await AdminAsync(HttpMethod.Post, "/recommendations/stats/rebuild");
        Assert.That(accepted, Is.EqualTo(HttpStatusCode.Accepted));
        await Eventually.ReturnsAsync(async () => (await AdminAsync(HttpMethod.Get, "/recommendations/stats/rebuild")).Body,
            s => s.GetProperty("state").GetString() == "succeeded", TimeSpan.FromSeconds(60), "the rebuild to finish");
        var rebuilt = (await AdminAsync(HttpMethod.Get, "/recommendations/stats" + period)).Body;
        Assert.That(rebuilt.GetProperty("days").ToString(), Is.EqualTo(stats.GetProperty("days").ToString()), "a rebuild from the log gives the same figures");

        using (var other = await _recommendation.Client.SendAsync(Platform.Admin(HttpMethod.Get, $"/admin/tenants/another-{_tenant}/recommendations/stats" + period)))
            Assert.That(JsonDocument.Parse(await other.Content.ReadAsStringAsync()).RootElement.GetProperty("days").GetArrayLength(), Is.Zero, "another tenant sees none of it");
        Assert.That((await AdminAsync(HttpMethod.Get, "/recommendations/stats?from=yesterday")).Status, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    private static decimal Total(JsonElement stats, string field) =>
        stats.GetProperty("days").EnumerateArray().Sum(d => d.GetProperty(field).GetDecimal());
}
