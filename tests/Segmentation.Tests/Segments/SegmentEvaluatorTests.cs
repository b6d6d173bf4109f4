using System.Text.Json;
using Personalization.Contracts;
using Personalization.Contracts.Conditions;
using Personalization.Contracts.Profiles;
using Personalization.Contracts.V1;
using Personalization.Segmentation.Segments.Definitions;
using Personalization.Segmentation.Segments.Evaluation;

namespace Personalization.Segmentation.Tests.Segments;

public class SegmentEvaluatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    private const string CartAbandoners = """{"name": "Cart abandoners", "condition": {"performed": "Product Added", "notFollowedBy": "Order Completed", "within": "24h"}}""";
    private const string FrequentViewers = """{"name": "Frequent viewers", "condition": {"performed": "Product Viewed", "atLeast": 3, "within": "7d"}}""";

    private static SegmentSet Set(params (string Id, string Json)[] segments) =>
        SegmentSet.Of(segments.Select(s => (s.Id, 1, DefinitionParser.Parse(JsonDocument.Parse(s.Json).RootElement).Parsed
                                                      ?? throw new ArgumentException(s.Json))));

    private static EventRecorded Track(string name, DateTimeOffset at, object? properties = null) => Event(EventTypes.Track, name, at, properties: properties);

    private static EventRecorded Event(string type, string? name, DateTimeOffset at, object? properties = null, object? traits = null, object? context = null) => new(
        Guid.NewGuid(), 0, "tenant", "web", StreamKey.ForUser("tenant", "u1").ToString(), 0, Guid.NewGuid().ToString(), type, name, "u1", null, at, at,
        JsonSerializer.SerializeToElement(new { type, userId = "u1", properties, traits, context }));

    /// <summary>One person: events as they arrive, and reminders that fire when asked.</summary>
    private sealed class Person(SegmentSet set)
    {
        public CustomerProfile Profile { get; } = new();
        public SegmentState State { get; } = new();
        public List<SegmentTransition> Transitions { get; } = [];

        public Person Apply(EventRecorded e)
        {
            SegmentedProfile.Apply(Profile, State, set, e, Transitions);
            return this;
        }

        public Person ReminderAt(DateTimeOffset at)
        {
            SegmentEvaluator.Advance(State, set, Profile, at, inclusive: true, Transitions);
            return this;
        }

        public DateTimeOffset? Deadline => State.Clock is { } clock ? SegmentEvaluator.NextDeadline(State, set, Profile, clock) : null;

        public IEnumerable<(string, bool, DateTimeOffset, int)> Changes => Transitions.Select(t => (t.SegmentId, t.Entered, t.At, t.Number));
    }

    [Test]
    public void Cart_abandoner_enters_exactly_at_the_deadline_and_leaves_at_the_purchase()
    {
        var person = new Person(Set(("cart", CartAbandoners)))
            .Apply(Track("Product Added", T0))
            .Apply(Track("Product Added", T0.AddHours(2)));
        Assert.That(person.Deadline, Is.EqualTo(T0.AddHours(24)), "a second add-to-cart does not restart the clock");

        person.ReminderAt(T0.AddHours(23));
        Assert.That(person.Transitions, Is.Empty);
        person.ReminderAt(T0.AddHours(30)); // fired late
        person.Apply(Track("Order Completed", T0.AddHours(31)));

        Assert.That(person.Changes, Is.EqualTo(new[] { ("cart", true, T0.AddHours(24), 1), ("cart", false, T0.AddHours(31), 2) }));
    }

    [Test]
    public void A_purchase_within_the_window_keeps_the_person_out()
    {
        var person = new Person(Set(("cart", CartAbandoners)))
            .Apply(Track("Product Added", T0))
            .Apply(Track("order_completed", T0.AddHours(23)))
            .ReminderAt(T0.AddDays(3));

        Assert.That(person.Transitions, Is.Empty);
        Assert.That(person.Deadline, Is.Null, "nothing left to wait for");
    }

    [Test]
    public void A_frequent_viewer_leaves_when_the_window_slides_past_the_third_view()
    {
        var person = new Person(Set(("views", FrequentViewers)))
            .Apply(Track("Product Viewed", T0))
            .Apply(Track("Product Viewed", T0.AddDays(1)))
            .Apply(Track("Product Viewed", T0.AddDays(2)));
        Assert.That(person.Changes, Is.EqualTo(new[] { ("views", true, T0.AddDays(2), 1) }));
        Assert.That(person.Deadline, Is.EqualTo(T0.AddDays(7)));

        person.ReminderAt(T0.AddDays(10));

        Assert.That(person.Changes.Last(), Is.EqualTo(("views", false, T0.AddDays(7), 2)));
    }

    [Test]
    public void Property_filters_pick_the_events_that_count()
    {
        var set = Set(("shoes", """{"name": "s", "condition": {"performed": "Product Viewed", "where": {"category": "Shoes", "price": {"gte": 50}}, "atLeast": 2}}"""));
        var person = new Person(set)
            .Apply(Track("Product Viewed", T0, new { product_id = "a", category = "Shoes", price = 60 }))
            .Apply(Track("Product Viewed", T0.AddMinutes(1), new { product_id = "b", category = "Shoes", price = 20 }))
            .Apply(Track("Product Viewed", T0.AddMinutes(2), new { product_id = "c", category = "Hats", price = 90 }));
        Assert.That(person.Transitions, Is.Empty);

        person.Apply(Track("Product Viewed", T0.AddMinutes(3), new { product_id = "d", category = "Shoes", price = "75" }));
        Assert.That(person.Changes, Is.EqualTo(new[] { ("shoes", true, T0.AddMinutes(3), 1) }));
    }

    [Test]
    public void At_most_counts_leave_on_the_extra_event_and_come_back_when_it_slides_out()
    {
        var set = Set(("light", """{"name": "l", "condition": {"and": [{"performed": "Page Viewed", "atMost": 1, "within": "1d"}, {"trait": "plan", "exists": true}]}}"""));
        var person = new Person(set)
            .Apply(Event(EventTypes.Identify, null, T0, traits: new { plan = "free" }))
            .Apply(Track("Page Viewed", T0.AddHours(1)))
            .Apply(Track("Page Viewed", T0.AddHours(2)))
            .ReminderAt(T0.AddDays(2));

        Assert.That(person.Changes, Is.EqualTo(new[]
        {
            ("light", true, T0, 1),
            ("light", false, T0.AddHours(2), 2),
            ("light", true, T0.AddHours(25), 3),
        }));
    }

    [Test]
    public void Last_seen_within_a_day_ends_a_day_after_the_last_event_with_no_event_at_all()
    {
        var person = new Person(Set(("active", """{"name": "a", "condition": {"lastSeen": {"within": "1d"}}}""")))
            .Apply(Event(EventTypes.Page, "Home", T0))
            .ReminderAt(T0.AddDays(3));

        Assert.That(person.Transitions, Has.Count.EqualTo(2));
        Assert.That(person.Transitions[1].Entered, Is.False);
        Assert.That(person.Transitions[1].At - T0.AddDays(1), Is.LessThanOrEqualTo(TimeSpan.FromTicks(2)).And.GreaterThan(TimeSpan.Zero));
    }

    [Test]
    public void Profile_fields_and_traits_are_tested_as_they_stand()
    {
        var set = Set(("mobile-gb", """
            {"name": "m", "condition": {"and": [
              {"profile": "lastDevice", "in": ["ios", "android"]},
              {"profile": "country", "equals": "GB"},
              {"profile": "cartValue", "gte": 50},
              {"trait": "signedUpAt", "after": "2026-01-01"},
              {"not": {"trait": "plan", "equals": "enterprise"}}]}}
            """));
        var person = new Person(set)
            .Apply(Event(EventTypes.Identify, null, T0, traits: new { signedUpAt = "2026-03-04T10:00:00Z", plan = "free" }, context: new { device = new { type = "ios" }, location = new { country = "GB" } }))
            .Apply(Track("Product Added", T0.AddMinutes(1), new { product_id = "a", price = 30, quantity = 1 }));
        Assert.That(person.Transitions, Is.Empty);

        person.Apply(Track("Product Added", T0.AddMinutes(2), new { product_id = "b", price = 25 }));
        Assert.That(person.Changes, Is.EqualTo(new[] { ("mobile-gb", true, T0.AddMinutes(2), 1) }));

        person.Apply(Event(EventTypes.Identify, null, T0.AddMinutes(3), traits: new { plan = "enterprise" }));
        Assert.That(person.Changes.Last(), Is.EqualTo(("mobile-gb", false, T0.AddMinutes(3), 2)));
    }

    [Test]
    public void A_segment_of_segments_changes_in_the_same_evaluation_as_the_one_it_refers_to()
    {
        var set = Set(
            ("cart", CartAbandoners),
            ("cart-with-email", """{"name": "c", "condition": {"and": [{"segment": "cart"}, {"trait": "email", "exists": true}]}}"""));
        var person = new Person(set)
            .Apply(Event(EventTypes.Identify, null, T0, traits: new { email = "a@example.com" }))
            .Apply(Track("Product Added", T0))
            .ReminderAt(T0.AddDays(2));

        Assert.That(person.Changes, Is.EqualTo(new[] { ("cart", true, T0.AddHours(24), 1), ("cart-with-email", true, T0.AddHours(24), 1) }));
    }

    [Test]
    public void Members_of_a_deleted_segment_leave_it_and_its_numbers_carry_on()
    {
        var person = new Person(Set(("views", FrequentViewers), ("cart", CartAbandoners)))
            .Apply(Track("Product Viewed", T0)).Apply(Track("Product Viewed", T0)).Apply(Track("Product Viewed", T0));
        var withoutViews = Set(("cart", CartAbandoners));

        SegmentedProfile.Apply(person.Profile, person.State, withoutViews, Track("Page Viewed", T0.AddMinutes(1)), person.Transitions);

        Assert.That(person.Changes, Is.EqualTo(new[] { ("views", true, T0, 1), ("views", false, T0.AddMinutes(1), 2) }));
        Assert.That(person.State.Trackers.Keys, Has.None.StartsWith("window|"), "the deleted segment's tracker is dropped");
    }

    [Test]
    public void Trackers_of_a_new_condition_are_known_missing_until_filled_from_history()
    {
        var person = new Person(Set(("cart", CartAbandoners))).Apply(Track("Product Viewed", T0));
        var both = Set(("cart", CartAbandoners), ("views", FrequentViewers));

        var missing = SegmentEvaluator.MissingTrackers(person.State, both);
        Assert.That(missing, Has.Count.EqualTo(1).And.All.StartsWith("window|"));
        SegmentEvaluator.Fill(person.State, both, missing, [SegmentEvent.From(Track("Product Viewed", T0))]);

        Assert.That(SegmentEvaluator.MissingTrackers(person.State, both), Is.Empty);
        Assert.That(person.State.Trackers.Single(t => t.Key.StartsWith("window|")).Value.Times, Is.EqualTo(new[] { T0 }));
    }

    [Test]
    public void Flagged_events_shape_no_segment()
    {
        var person = new Person(Set(("views", FrequentViewers)));
        for (var i = 0; i < 3; i++)
            person.Apply(Track("Product Viewed", T0.AddMinutes(i)) with { Flags = EventFlags.KnownBot });

        Assert.That(person.Transitions, Is.Empty);
        Assert.That(person.Profile.ExcludedEvents, Is.EqualTo(3));
    }

    [Test]
    public void A_client_clock_ahead_of_the_server_does_not_bring_a_deadline_forward()
    {
        var set = Set(("cart", CartAbandoners));
        var person = new Person(set).Apply(Track("Product Added", T0) with { Timestamp = T0.AddHours(20) });
        Assert.That(person.Deadline, Is.EqualTo(T0.AddHours(24)));
    }

    /// <summary>
    /// Rebuild equals live: the same events, once with reminders firing at every deadline in between (as the actor's
    /// reminder does), once replayed back to back long after (as a rebuild does), give the same transitions.
    /// </summary>
    [TestCase(1)]
    [TestCase(7)]
    [TestCase(42)]
    public void Live_evaluation_with_reminders_and_a_later_replay_give_the_same_transitions(int seed)
    {
        var set = Set(
            ("cart", CartAbandoners),
            ("views", FrequentViewers),
            ("active", """{"name": "a", "condition": {"lastSeen": {"within": "2d"}}}"""),
            ("lapsed-buyer", """{"name": "b", "condition": {"and": [{"profile": "frequency", "gte": 1}, {"profile": "recency", "gt": 5}]}}"""),
            ("both", """{"name": "c", "condition": {"or": [{"segment": "cart"}, {"segment": "views"}]}}"""));
        var random = new Random(seed);
        var names = new[] { "Product Viewed", "Product Viewed", "Product Added", "Order Completed", "Page Viewed" };
        var at = T0;
        var events = new List<EventRecorded>();
        for (var i = 0; i < 60; i++)
        {
            at = at.AddMinutes(random.Next(1, 4 * 24 * 60));
            events.Add(Track(names[random.Next(names.Length)], at, new { product_id = "p" + random.Next(5), price = 10 }));
        }
        var end = at.AddDays(30);

        var live = new Person(set);
        foreach (var e in events)
        {
            while (live.Deadline is { } due && due < e.Timestamp) live.ReminderAt(due);
            live.Apply(e);
        }
        while (live.Deadline is { } due && due <= end) live.ReminderAt(due);
        live.ReminderAt(end);

        var replay = new Person(set);
        foreach (var e in events) replay.Apply(e);
        replay.ReminderAt(end);

        Assert.That(replay.Transitions, Is.EqualTo(live.Transitions));
        Assert.That(live.Transitions.Select(t => t.SegmentId).Distinct().Count(), Is.GreaterThanOrEqualTo(4), "the history exercises most segments");
        Assert.That(live.Transitions, Has.Some.Matches<SegmentTransition>(t => t.CausedBy is null), "some changes come at deadlines, with no event");
    }
}
