using System.Text.Json;
using Personalization.Contracts;
using Personalization.Contracts.V1;
using Personalization.Recommendation.Attribution;
using Personalization.Recommendation.Serving;

namespace Personalization.Recommendation.Tests.Attribution;

public class AttributionFactsTests
{
    private static readonly string Id = new ResponseOrigin(4, "homepage", "ranker-test", "v4").NewId();

    private static EventRecorded Track(string name, object properties, EventFlags flags = EventFlags.None, string? userId = "ann") => new(
        Guid.NewGuid(), 1, "shop", "web", "shop/u:ann", 1, Guid.NewGuid().ToString(), EventTypes.Track, name, userId, "anon-1",
        new DateTimeOffset(2026, 11, 3, 10, 0, 0, TimeSpan.Zero), DateTimeOffset.UtcNow,
        JsonSerializer.SerializeToElement(new { properties }), flags);

    [TestCase("Recommendation Viewed")]
    [TestCase("recommendation_viewed")]
    [TestCase("recommendationViewed")]
    public void A_view_reads_its_response_origin_and_items_shown(string name)
    {
        var view = AttributionFacts.Of(Track(name, new { recommendationId = Id, products = new[] { new { product_id = "a" }, new { product_id = "b" } } })).Viewed;

        Assert.That(view, Is.Not.Null);
        Assert.That(view!.Origin, Is.EqualTo(new ResponseOrigin(4, "homepage", "ranker-test", "v4")));
        Assert.That(view.Shown, Is.EqualTo(2));
        Assert.That(view.Actor, Is.EqualTo(new Actor("ann", "anon-1", "shop/u:ann")));
    }

    [Test]
    public void A_click_reads_the_item_and_position_in_either_spelling()
    {
        var click = AttributionFacts.Of(Track("Product Clicked", new { recommendation_id = Id, product_id = "sku-3", position = 2 })).Clicked;

        Assert.That(click, Is.Not.Null);
        Assert.That((click!.ItemId, click.Position, click.Origin.Variant), Is.EqualTo(("sku-3", (int?)2, "v4")));
    }

    [Test]
    public void An_order_gives_a_line_per_product_with_its_revenue()
    {
        var lines = AttributionFacts.Of(Track("Order Completed", new
        {
            order_id = "o-1",
            products = new object[] { new { product_id = "a", price = 10.5, quantity = 2 }, new { sku = "b", price = 3 } },
        })).Ordered;

        Assert.That(lines.Select(l => (l.Line, l.ItemId, l.Revenue, l.OrderId)), Is.EqualTo(new[] { (0, "a", 21.0m, "o-1"), (1, "b", 3m, "o-1") }));
    }

    [Test]
    public void An_anonymous_visitor_is_known_by_their_anonymous_id()
    {
        var view = AttributionFacts.Of(Track("Recommendation Viewed", new { recommendationId = Id }, userId: null)).Viewed;

        Assert.That(view!.Actor.Person, Is.EqualTo("anonymous:anon-1"));
    }

    [Test]
    public void Clicks_without_a_response_flagged_events_and_other_events_are_no_facts()
    {
        Assert.That(AttributionFacts.Of(Track("Product Clicked", new { product_id = "a" })).IsEmpty, Is.True, "a click outside any recommendation");
        Assert.That(AttributionFacts.Of(Track("Recommendation Viewed", new { recommendationId = Id }, EventFlags.KnownBot)).IsEmpty, Is.True, "a bot's view");
        Assert.That(AttributionFacts.Of(Track("Product Viewed", new { recommendationId = Id, product_id = "a" })).IsEmpty, Is.True);
    }

    [Test]
    public void A_decisions_view_and_click_count_like_a_recommendations()
    {
        var decisionId = new ResponseOrigin(null, "checkout-offer", "offer-test", "v2").NewId();

        var viewed = AttributionFacts.Of(Track("Decision Viewed", new { decisionId })).Viewed;
        var clicked = AttributionFacts.Of(Track("Decision Clicked", new { decision_id = decisionId, rule = "big-cart" })).Clicked;

        Assert.That(viewed!.Origin, Is.EqualTo(new ResponseOrigin(null, "checkout-offer", "offer-test", "v2")));
        Assert.That((clicked!.RecommendationId, clicked.ItemId), Is.EqualTo((decisionId, "big-cart")));
    }

    [Test]
    public void A_view_of_a_made_up_id_is_kept_with_an_unknown_origin()
    {
        var view = AttributionFacts.Of(Track("Recommendation Viewed", new { recommendationId = "from-an-old-app" })).Viewed;

        Assert.That(view!.Origin, Is.EqualTo(ResponseOrigin.Unknown));
    }
}
