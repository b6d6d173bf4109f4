using System.Text.Json;
using Personalization.Contracts.Profiles;
using Personalization.Recommendation.Decisions;

namespace Personalization.Recommendation.Tests.Decisions;

public class DeciderTests
{
    private static readonly DateTimeOffset Saturday = new(2026, 12, 5, 20, 30, 0, TimeSpan.Zero);

    private static ParsedPlacement Placement() => PlacementParser.Parse(JsonDocument.Parse("""
        {"rules": [
            {"id": "big-cart", "if": {"profile": "cartValue", "gt": 100}, "content": {"banner": "free-shipping", "code": "SHIP100"}},
            {"id": "vip", "if": {"or": [{"segment": "vip"}, {"trait": "plan", "equals": "gold"}]}, "content": {"banner": "vip-lounge"}},
            {"id": "mobile-evening", "if": {"and": [{"context": "device", "equals": "mobile"}, {"context": "timeOfDay", "equals": "evening"}]}, "content": {"layout": "compact"}}],
         "fallback": {"banner": "welcome"}}
        """).RootElement).Parsed!;

    private static DecisionContext Context(string? device = null, string? timeZone = null) =>
        DecisionContext.From(field => field == "device" ? device : null, timeZone, Saturday).Context!;

    private static CustomerProfile Profile(decimal cartPrice = 0, string? segment = null, string? plan = null)
    {
        var profile = new CustomerProfile();
        if (cartPrice > 0) profile.Cart["sku-1"] = new CartLine("sku-1", null, 2, cartPrice / 2);
        if (segment is not null) profile.Segments[segment] = Saturday;
        if (plan is not null) profile.Traits["plan"] = JsonSerializer.SerializeToElement(plan);
        return profile;
    }

    [Test]
    public void A_cart_over_a_hundred_gets_the_discount()
    {
        var decision = Decider.Decide(Placement(), Profile(cartPrice: 120), Context(), Saturday);

        Assert.That(decision.Rule, Is.EqualTo("big-cart"));
        Assert.That(decision.Content!.Value.GetProperty("code").GetString(), Is.EqualTo("SHIP100"));
        Assert.That(Decider.Decide(Placement(), Profile(cartPrice: 80), Context(), Saturday).Rule, Is.Null, "80 is not over 100");
    }

    [Test]
    public void Segments_and_traits_decide_in_rule_order()
    {
        Assert.That(Decider.Decide(Placement(), Profile(segment: "vip"), Context(), Saturday).Rule, Is.EqualTo("vip"));
        Assert.That(Decider.Decide(Placement(), Profile(plan: "gold"), Context(), Saturday).Rule, Is.EqualTo("vip"));
        Assert.That(Decider.Decide(Placement(), Profile(cartPrice: 150, segment: "vip"), Context(), Saturday).Rule, Is.EqualTo("big-cart"), "the first rule that holds wins");
    }

    [Test]
    public void The_context_counts_the_hour_in_the_callers_time_zone()
    {
        Assert.That(Decider.Decide(Placement(), null, Context("mobile"), Saturday).Rule, Is.EqualTo("mobile-evening"), "20:30 UTC is evening");
        Assert.That(Decider.Decide(Placement(), null, Context("mobile", "Asia/Tokyo"), Saturday).Rule, Is.Null, "05:30 in Tokyo is morning");
        Assert.That(Decider.Decide(Placement(), null, Context("desktop"), Saturday).Rule, Is.Null);
        Assert.That(Context(timeZone: "Asia/Tokyo").Values["dayOfWeek"], Is.EqualTo("sunday"));
    }

    [Test]
    public void Without_a_match_the_fallback_shows()
    {
        var decision = Decider.Decide(Placement(), null, Context(), Saturday);

        Assert.That(decision.Rule, Is.Null);
        Assert.That(decision.Content!.Value.GetProperty("banner").GetString(), Is.EqualTo("welcome"));
    }

    [Test]
    public void An_unknown_time_zone_is_refused()
    {
        Assert.That(DecisionContext.From(_ => null, "Mars/Olympus", Saturday).Error, Does.Contain("Mars/Olympus"));
    }

    [TestCase("""{"rules": [{"id": "a", "if": {"context": "weather", "equals": "rain"}, "content": {}}]}""", "$.rules[0].if.context")]
    [TestCase("""{"rules": [{"id": "a", "if": {"profile": "cartValue", "gt": "lots"}, "content": {}}]}""", "$.rules[0].if.gt")]
    [TestCase("""{"rules": [{"id": "a", "if": {"colour": "red"}, "content": {}}]}""", "$.rules[0].if.colour")]
    [TestCase("""{"rules": [{"id": "a", "content": "banner-1"}]}""", "$.rules[0].content")]
    [TestCase("""{"rules": [{"content": {}}]}""", "$.rules[0].id")]
    [TestCase("""{"rules": [{"id": "a", "content": {}}, {"id": "a", "content": {}}]}""", "$.rules")]
    [TestCase("""{"rules": {}}""", "$.rules")]
    [TestCase("""{"rules": [], "fallback": 3}""", "$.fallback")]
    [TestCase("""{"rules": [], "extra": 1}""", "$.extra")]
    public void Bad_rules_are_named_by_their_path(string json, string path)
    {
        var (parsed, errors) = PlacementParser.Parse(JsonDocument.Parse(json).RootElement);

        Assert.That(parsed, Is.Null);
        Assert.That(errors.Keys, Does.Contain(path), string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(' ', e.Value)}")));
    }
}
