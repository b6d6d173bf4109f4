using System.Text.Json;
using Personalization.Contracts;
using Personalization.Contracts.V1;
using Personalization.Recommendation.Interactions;

namespace Personalization.Recommendation.Tests.Interactions;

public class EventLogInteractionsTests
{
    private static readonly DateTimeOffset At = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static EventRecorded Track(string name, string payload, EventFlags flags = EventFlags.None, string? user = "u1") => new(
        Guid.NewGuid(), 1, "t", "s", "t/u1", 1, "m", EventTypes.Track, name, user, user is null ? "anon" : null, At, At,
        JsonDocument.Parse(payload).RootElement, flags);

    [Test]
    public void Ecommerce_events_become_weighted_types_with_their_country()
    {
        var viewed = EventLogInteractions.From(Track("Product Viewed",
            """{"properties":{"product_id":"p1"},"context":{"location":{"country":"FR"}}}""")).Single();
        var added = EventLogInteractions.From(Track("Product Added", """{"properties":{"product_id":42}}""")).Single();
        var ordered = EventLogInteractions.From(Track("Order Completed",
            """{"properties":{"products":[{"product_id":"p1"},{"product_id":"p2"}]},"context":{"device":{"type":"mobile"}}}""")).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(viewed, Is.EqualTo(new Interaction("u1", "p1", At.UtcDateTime, InteractionTypes.View, null, "FR")));
            Assert.That(added, Is.EqualTo(new Interaction("u1", "42", At.UtcDateTime, InteractionTypes.AddToCart)));
            Assert.That(ordered.Select(o => (o.Item, o.Type, o.Context)), Is.EqualTo(new[]
            {
                ("p1", InteractionTypes.Purchase, "mobile"),
                ("p2", InteractionTypes.Purchase, "mobile"),
            }));
        });
    }

    [TestCase(EventFlags.KnownBot)]
    [TestCase(EventFlags.Burst)]
    [TestCase(EventFlags.NoConsent)]
    public void Flagged_events_shape_no_model(EventFlags flag)
    {
        Assert.That(EventLogInteractions.From(Track("Product Viewed", """{"properties":{"product_id":"p1"}}""", flag)), Is.Empty);
    }

    [Test]
    public void Anonymous_events_count_for_their_anonymous_id_apart_from_user_ids_and_other_events_give_nothing()
    {
        Assert.That(EventLogInteractions.From(Track("Product Viewed", """{"properties":{"product_id":"p1"}}""", user: null)).Single().User,
            Is.EqualTo("anonymous:anon"));
        Assert.That(EventLogInteractions.From(Track("Signed Up", """{"properties":{"product_id":"p1"}}""")), Is.Empty);
    }

    [TestCase("product_id")]
    [TestCase("productId")]
    [TestCase("sku")]
    [TestCase("id")]
    public void A_product_id_is_read_from_any_of_the_spec_names_and_its_camel_case_variants(string field)
    {
        var viewed = EventLogInteractions.From(Track("Product Viewed", $$$"""{"properties":{"{{{field}}}":"sku-7"}}""")).Single();
        var ordered = EventLogInteractions.From(Track("Order Completed", $$$"""{"properties":{"products":[{"{{{field}}}":"sku-8"}]}}""")).Single();
        Assert.That((viewed.Item, ordered.Item), Is.EqualTo(("sku-7", "sku-8")));
    }

    [Test]
    public void Product_id_wins_over_the_other_names_and_a_product_without_an_id_is_skipped()
    {
        var line = EventLogInteractions.From(Track("Product Added", """{"properties":{"id":"x","sku":"s","productId":"c","product_id":"p"}}""")).Single();
        var ordered = EventLogInteractions.From(Track("Order Completed", """{"properties":{"products":[{"name":"no id"},{"sku":""},{"sku":"s2"}]}}"""));
        Assert.That(line.Item, Is.EqualTo("p"));
        Assert.That(ordered.Select(o => o.Item), Is.EqualTo(new[] { "s2" }));
    }

    [TestCase("product_viewed", InteractionTypes.View)]
    [TestCase("productViewed", InteractionTypes.View)]
    [TestCase("PRODUCT CLICKED", InteractionTypes.View)]
    [TestCase("product-added", InteractionTypes.AddToCart)]
    [TestCase("orderCompleted", InteractionTypes.Purchase)]
    public void Event_names_match_whatever_their_case_and_separators(string name, string type)
    {
        Assert.That(EventLogInteractions.From(Track(name, """{"properties":{"productId":"p1"}}""")).Single().Type, Is.EqualTo(type));
    }

    [Test]
    public void Removing_from_the_cart_is_not_an_interaction()
    {
        Assert.That(EventLogInteractions.From(Track("Product Removed", """{"properties":{"productId":"p1"}}""")), Is.Empty);
    }
}
