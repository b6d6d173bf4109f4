using Personalization.Contracts.Profiles;
using System.Text.Json;
using Personalization.Contracts;
using Personalization.Contracts.V1;
using Personalization.Segmentation.Profiles;

namespace Personalization.Segmentation.Tests.Profiles;

public class CustomerProfileProjectionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    private static EventRecorded Event(string type, string? name, DateTimeOffset at, object? properties = null, object? context = null, object? traits = null) => new(
        Guid.NewGuid(), 0, "tenant", "web", StreamKey.ForUser("tenant", "u1").ToString(), 0, Guid.NewGuid().ToString(), type, name, "u1", null, at, at,
        JsonSerializer.SerializeToElement(new { type, userId = "u1", properties, context, traits }));

    private static CustomerProfile Project(params EventRecorded[] events)
    {
        var profile = new CustomerProfile();
        foreach (var e in events) CustomerProfileProjection.Apply(profile, e);
        return profile;
    }

    [Test]
    public void Counts_events_by_type_and_name_and_tracks_first_and_last_seen()
    {
        var profile = Project(
            Event(EventTypes.Page, "Home", T0),
            Event(EventTypes.Track, "Product Viewed", T0.AddMinutes(1)),
            Event(EventTypes.Track, "Product Viewed", T0.AddMinutes(2)),
            Event(EventTypes.Identify, null, T0.AddMinutes(3)));

        Assert.Multiple(() =>
        {
            Assert.That(profile.EventCount, Is.EqualTo(4));
            Assert.That(profile.CountsByType, Is.EquivalentTo(new Dictionary<string, long> { ["page"] = 1, ["track"] = 2, ["identify"] = 1 }));
            Assert.That(profile.CountsByEvent, Is.EquivalentTo(new Dictionary<string, long> { ["Product Viewed"] = 2 }));
            Assert.That(profile.FirstSeen, Is.EqualTo(T0));
            Assert.That(profile.LastSeen, Is.EqualTo(T0.AddMinutes(3)));
            Assert.That(profile.UserKey, Is.EqualTo("user:u1"));
        });
    }

    [Test]
    public void A_gap_of_more_than_thirty_minutes_starts_a_new_session()
    {
        var profile = Project(
            Event(EventTypes.Page, "Home", T0),
            Event(EventTypes.Page, "Home", T0.AddMinutes(30)),
            Event(EventTypes.Page, "Home", T0.AddMinutes(61)),
            Event(EventTypes.Page, "Home", T0.AddMinutes(70)));

        Assert.That(profile.SessionCount, Is.EqualTo(2));
        Assert.That(profile.SessionStartedAt, Is.EqualTo(T0.AddMinutes(61)));
    }

    [Test]
    public void A_late_event_is_counted_but_does_not_move_time_or_context_backwards()
    {
        var profile = Project(
            Event(EventTypes.Page, "Home", T0.AddHours(2), context: new { locale = "en-GB", device = new { type = "ios" } }),
            Event(EventTypes.Page, "Home", T0, context: new { locale = "fr-FR" }));

        Assert.Multiple(() =>
        {
            Assert.That(profile.EventCount, Is.EqualTo(2));
            Assert.That(profile.FirstSeen, Is.EqualTo(T0));
            Assert.That(profile.LastSeen, Is.EqualTo(T0.AddHours(2)));
            Assert.That(profile.SessionCount, Is.EqualTo(1));
            Assert.That(profile.LastContext.Locale, Is.EqualTo("en-GB"));
        });
    }

    [Test]
    public void Context_fields_keep_their_last_known_value()
    {
        var profile = Project(
            Event(EventTypes.Page, "Home", T0, context: new { device = new { type = "ios" }, os = new { name = "iOS" }, locale = "en-GB", location = new { country = "GB", city = "Leeds" }, page = new { referrer = "https://news.example" }, timezone = "Europe/London" }),
            Event(EventTypes.Page, "Home", T0.AddMinutes(1), context: new { locale = "de-DE" }));

        Assert.That(profile.LastContext, Is.EqualTo(new ProfileContext("ios", "iOS", "de-DE", "GB", "Leeds", "https://news.example", "Europe/London")));
    }

    [Test]
    public void Recently_viewed_items_are_most_recent_first_unique_and_capped()
    {
        var views = Enumerable.Range(0, 25).Select(i => Event(EventTypes.Track, "Product Viewed", T0.AddMinutes(i), new { product_id = $"sku-{i}" })).ToList();
        views.Add(Event(EventTypes.Track, "Product Viewed", T0.AddMinutes(30), new { productId = "sku-10", name = "Mug" }));

        var profile = Project([.. views]);

        Assert.That(profile.RecentlyViewed, Has.Count.EqualTo(CustomerProfileProjection.RecentlyViewedCap));
        Assert.That(profile.RecentlyViewed[0], Is.EqualTo(new ViewedItem("sku-10", "Mug", T0.AddMinutes(30))));
        Assert.That(profile.RecentlyViewed.Select(v => v.ItemId), Is.Unique);
        Assert.That(profile.RecentlyViewed[1].ItemId, Is.EqualTo("sku-24"));
    }

    [Test]
    public void Cart_follows_adds_and_removes_and_an_order_empties_it()
    {
        var beforeOrder = Project(
            Event(EventTypes.Track, "Product Added", T0, new { product_id = "a", quantity = 2, price = 5.0 }),
            Event(EventTypes.Track, "Product Added", T0.AddMinutes(1), new { product_id = "b", price = "3.00" }),
            Event(EventTypes.Track, "Product Removed", T0.AddMinutes(2), new { product_id = "a" }));

        Assert.That(beforeOrder.Cart.Values, Is.EquivalentTo(new[] { new CartLine("a", null, 1, 5m), new CartLine("b", null, 1, 3m) }));
        Assert.That(beforeOrder.CartValue, Is.EqualTo(8m));

        CustomerProfileProjection.Apply(beforeOrder, Event(EventTypes.Track, "Order Completed", T0.AddMinutes(3), new { order_id = "o1", revenue = 8.0 }));

        Assert.That(beforeOrder.Cart, Is.Empty);
        Assert.That(beforeOrder.Purchases, Is.EqualTo(new PurchaseSummary(1, 8m, T0.AddMinutes(3))));
    }

    [Test]
    public void Order_without_revenue_is_valued_from_its_products()
    {
        var profile = Project(
            Event(EventTypes.Track, "Order Completed", T0, new { products = new object[] { new { product_id = "a", price = 2.5, quantity = 2 }, new { product_id = "b", price = 1 } } }),
            Event(EventTypes.Track, "Order Completed", T0.AddDays(1), new { total = 10 }));

        Assert.That(profile.Purchases, Is.EqualTo(new PurchaseSummary(2, 16m, T0.AddDays(1))));
    }

    [Test]
    public void Invoice_lines_of_one_order_count_as_one_order_and_all_add_to_its_value()
    {
        var profile = Project(
            Event(EventTypes.Track, "Order Completed", T0, new { order_id = "o1", revenue = 20 }),
            Event(EventTypes.Track, "Order Completed", T0, new { order_id = "o1", revenue = 15 }),
            Event(EventTypes.Track, "Order Completed", T0.AddMinutes(2), new { orderId = "o2", revenue = 5 }));

        Assert.That(profile.Purchases, Is.EqualTo(new PurchaseSummary(2, 40m, T0.AddMinutes(2))));
        Assert.That(profile.OrderIds, Is.EquivalentTo(new[] { "o1", "o2" }));
    }

    [Test]
    public void Identify_traits_are_merged_with_the_latest_value_winning()
    {
        var profile = Project(
            Event(EventTypes.Identify, null, T0, traits: new { email = "a@example.com", plan = "free" }),
            Event(EventTypes.Identify, null, T0.AddMinutes(1), traits: new { plan = "plus" }));

        Assert.That(profile.Traits.ToDictionary(t => t.Key, t => t.Value.GetString()),
            Is.EquivalentTo(new Dictionary<string, string?> { ["email"] = "a@example.com", ["plan"] = "plus" }));
    }

    [Test]
    public void The_same_events_in_the_same_order_give_the_same_profile()
    {
        var events = new[]
        {
            Event(EventTypes.Identify, null, T0, traits: new { email = "a@example.com" }),
            Event(EventTypes.Track, "Product Viewed", T0.AddMinutes(1), new { product_id = "a" }, new { locale = "en-GB" }),
            Event(EventTypes.Track, "Product Added", T0.AddMinutes(2), new { product_id = "a", price = 4 }),
            Event(EventTypes.Track, "Order Completed", T0.AddHours(3), new { revenue = 4 }),
        };

        Assert.That(JsonSerializer.Serialize(Project(events)), Is.EqualTo(JsonSerializer.Serialize(Project(events))));
    }

    [Test]
    public void A_click_counts_as_a_view_and_ordered_items_are_kept_most_recent_first()
    {
        var profile = Project(
            Event(EventTypes.Track, "Product Clicked", T0, new { product_id = "sku-1", recommendation_id = "r1", position = 2 }),
            Event(EventTypes.Track, "Order Completed", T0.AddMinutes(1), new { order_id = "o1", products = new object[] { new { product_id = "sku-1" }, new { sku = "sku-2", name = "Mug" } } }),
            Event(EventTypes.Track, "Order Completed", T0.AddMinutes(2), new { order_id = "o2", products = new[] { new { product_id = "sku-1" } } }));

        Assert.That(profile.RecentlyViewed, Is.EqualTo(new[] { new ViewedItem("sku-1", null, T0) }));
        Assert.That(profile.RecentlyPurchased, Is.EqualTo(new[] { new PurchasedItem("sku-1", null, T0.AddMinutes(2)), new PurchasedItem("sku-2", "Mug", T0.AddMinutes(1)) }));
    }

    [Test]
    public void Flagged_events_are_counted_as_excluded_and_shape_nothing()
    {
        var bot = Event(EventTypes.Track, "Product Added", T0, new { product_id = "a", price = 5 }) with { Flags = EventFlags.KnownBot };
        var noConsent = Event(EventTypes.Track, "Product Viewed", T0, new { product_id = "b" }) with { Flags = EventFlags.NoConsent };

        var profile = Project(Event(EventTypes.Page, "Home", T0), bot, noConsent);

        Assert.That(profile.EventCount, Is.EqualTo(1));
        Assert.That(profile.ExcludedEvents, Is.EqualTo(2));
        Assert.That(profile.Cart, Is.Empty);
        Assert.That(profile.RecentlyViewed, Is.Empty);
    }

    [Test]
    public void Cart_reads_the_same_ids_and_event_name_variants_as_the_models()
    {
        var profile = Project(
            Event(EventTypes.Track, "product_added", T0, new { sku = "s1", price = "2.50", quantity = 2 }),
            Event(EventTypes.Track, "productAdded", T0.AddMinutes(1), new { id = 7, price = 1 }),
            Event(EventTypes.Track, "Product Removed", T0.AddMinutes(2), new { productId = "s1" }));

        Assert.That(profile.Cart.Values, Is.EquivalentTo(new[] { new CartLine("s1", null, 1, 2.50m), new CartLine("7", null, 1, 1m) }));
    }
}
