using System.Text.Json;
using Personalization.Contracts.Profiles;
using Personalization.Triggers.Journeys;
using Personalization.Triggers.Occurrences;

namespace Personalization.Triggers.Tests.Occurrences;

public class OccurrenceEngineTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);
    private static readonly OccurrenceFacts NoProfile = new(null, ProfileReached: true, TimeZoneInfo.Utc);

    private static JourneyDefinition Parse(string json) =>
        JourneyParser.Parse(JsonDocument.Parse(json).RootElement) is ({ } journey, _) ? journey : throw new ArgumentException("does not parse", nameof(json));

    private static readonly JourneyDefinition CartAbandonment = Parse("""
        {"name": "Cart", "entry": {"event": "Product Added"}, "key": "cart_id",
         "exitWhen": [{"event": "Order Completed", "matchKey": "cart_id"}],
         "steps": [
           {"id": "wait", "wait": "24h"},
           {"id": "email", "send": {"channel": "email", "template": "cart", "group": "marketing"}},
           {"id": "reply", "waitFor": {"event": "Email Clicked", "timeout": "2d"}, "onEvent": "thanks", "onTimeout": "exit"},
           {"id": "thanks", "send": {"channel": "email", "template": "thanks"}}
         ]}
        """);

    private static Occurrence New(bool holdout = false, string key = "c1") => new()
    {
        ActorId = "a", Number = 1, TenantId = "t", JourneyId = "cart", Version = 1, UserId = "ada", Key = key, EntryId = "e0",
        EntryEvent = JsonDocument.Parse("{}").RootElement, EnteredAt = Now, Holdout = holdout,
    };

    private static JourneyEvent Event(string name, object? properties = null, string id = "e1") =>
        new(id, name, JsonSerializer.SerializeToElement(properties ?? new { }), Now);

    [Test]
    public void An_entrant_waits_then_the_send_is_queued_and_it_waits_for_the_click()
    {
        var o = New();
        var start = OccurrenceEngine.Start(CartAbandonment, o, Now, NoProfile);
        Assert.That(o.Status, Is.EqualTo(OccurrenceStatus.Waiting));
        Assert.That((o.StepId, o.DueAt), Is.EqualTo(("wait", (DateTimeOffset?)Now.AddHours(24))));
        Assert.That(start.Sends, Is.Empty);
        Assert.That(start.Records.Select(r => r.Outcome), Is.EqualTo(new[] { "entered", "waiting" }));

        Assert.That(OccurrenceEngine.Resume(CartAbandonment, o, Now.AddHours(23), NoProfile).Changed, Is.False, "a wake before the time does nothing");
        var resumed = OccurrenceEngine.Resume(CartAbandonment, o, Now.AddHours(24), NoProfile);
        Assert.That(resumed.Sends.Select(s => (s.Id, s.Group)), Is.EqualTo(new[] { ("email", (string?)"marketing") }));
        Assert.That((o.StepId, o.DueAt), Is.EqualTo(("reply", (DateTimeOffset?)Now.AddHours(24 + 48))));

        var clicked = OccurrenceEngine.Receive(CartAbandonment, o, Event("Email Clicked"), Now.AddHours(30), NoProfile);
        Assert.That(clicked.Sends.Select(s => s.Id), Is.EqualTo(new[] { "thanks" }));
        Assert.That(o.Status, Is.EqualTo(OccurrenceStatus.Completed));
        Assert.That(o.DueAt, Is.Null);
    }

    [Test]
    public void A_purchase_of_the_same_cart_ends_it_wherever_it_waits_and_another_carts_does_not()
    {
        var o = New();
        OccurrenceEngine.Start(CartAbandonment, o, Now, NoProfile);
        Assert.That(OccurrenceEngine.Receive(CartAbandonment, o, Event("Order Completed", new { cart_id = "c2" }), Now, NoProfile).Changed, Is.False);
        Assert.That(o.Status, Is.EqualTo(OccurrenceStatus.Waiting));

        var turn = OccurrenceEngine.Receive(CartAbandonment, o, Event("Order Completed", new { cart_id = "c1" }), Now, NoProfile);
        Assert.That(o.Status, Is.EqualTo(OccurrenceStatus.Exited));
        Assert.That(o.EndReason, Is.EqualTo("exitWhen: Order Completed"));
        Assert.That(turn.Sends, Is.Empty);
        Assert.That(OccurrenceEngine.Resume(CartAbandonment, o, Now.AddDays(2), NoProfile).Changed, Is.False, "an ended occurrence stays ended");
    }

    [Test]
    public void The_entry_event_itself_neither_exits_nor_ends_a_wait()
    {
        var journey = Parse("""
            {"name": "J", "entry": {"event": "Order Completed"}, "exitWhen": [{"event": "Order Completed"}],
             "steps": [{"id": "wait", "wait": "1h"}, {"id": "email", "send": {"channel": "email", "template": "t"}}]}
            """);
        var o = New();
        OccurrenceEngine.Start(journey, o, Now, NoProfile);
        Assert.That(OccurrenceEngine.Receive(journey, o, Event("Order Completed", id: "e0"), Now, NoProfile).Changed, Is.False);
        Assert.That(OccurrenceEngine.Receive(journey, o, Event("Order Completed", id: "e9"), Now, NoProfile).Changed, Is.True);
    }

    [Test]
    public void A_wait_for_an_event_times_out_to_its_timeout_step_and_matches_on_the_key_and_properties()
    {
        var journey = Parse("""
            {"name": "J", "entry": {"event": "Product Added"}, "key": "cart_id",
             "steps": [{"id": "buy", "waitFor": {"event": "Order Completed", "where": {"currency": "EUR"}, "matchKey": "cart_id", "timeout": "1h"},
                        "onEvent": "exit", "onTimeout": "nudge"},
                       {"id": "nudge", "send": {"channel": "email", "template": "t"}}]}
            """);
        var o = New();
        OccurrenceEngine.Start(journey, o, Now, NoProfile);
        Assert.That(OccurrenceEngine.Receive(journey, o, Event("Order Completed", new { cart_id = "c1", currency = "GBP" }), Now, NoProfile).Changed, Is.False);
        Assert.That(OccurrenceEngine.Receive(journey, o, Event("Order Completed", new { cart_id = "c9", currency = "EUR" }), Now, NoProfile).Changed, Is.False);
        var timedOut = OccurrenceEngine.Resume(journey, o, Now.AddHours(1), NoProfile);
        Assert.That(timedOut.Records.Select(r => r.Outcome), Is.EqualTo(new[] { "timedOut", "queued", "completed" }));

        var other = New();
        OccurrenceEngine.Start(journey, other, Now, NoProfile);
        var came = OccurrenceEngine.Receive(journey, other, Event("Order Completed", new { cart_id = "c1", currency = "EUR" }), Now, NoProfile);
        Assert.That(came.Sends, Is.Empty);
        Assert.That(other.Status, Is.EqualTo(OccurrenceStatus.Completed));
    }

    [Test]
    public void A_branch_follows_the_first_case_that_holds_and_waits_when_the_profile_cannot_be_read()
    {
        var journey = Parse("""
            {"name": "J", "entry": {"event": "Product Added"},
             "steps": [{"id": "vip", "branch": [{"if": {"and": [{"segment": "vip"}, {"not": {"segment": "churned"}}]}, "next": "vip-email"}], "else": "email"},
                       {"id": "email", "send": {"channel": "email", "template": "plain"}, "next": "exit"},
                       {"id": "vip-email", "send": {"channel": "email", "template": "vip"}}]}
            """);
        var vip = new CustomerProfile { Segments = { ["vip"] = Now } };
        var churned = new CustomerProfile { Segments = { ["vip"] = Now, ["churned"] = Now } };
        string Sent(CustomerProfile? profile) =>
            OccurrenceEngine.Start(journey, New(), Now, new OccurrenceFacts(profile, true, TimeZoneInfo.Utc)).Sends.Single().Template;
        Assert.That((Sent(vip), Sent(churned), Sent(null)), Is.EqualTo(("vip", "plain", "plain")));

        var o = New();
        var unread = OccurrenceEngine.Start(journey, o, Now, new OccurrenceFacts(null, ProfileReached: false, TimeZoneInfo.Utc));
        Assert.That(unread.Sends, Is.Empty);
        Assert.That((o.Status, o.StepId, o.DueAt), Is.EqualTo((OccurrenceStatus.Waiting, "vip", (DateTimeOffset?)Now + OccurrenceEngine.ProfileRetry)));
        var retried = OccurrenceEngine.Resume(journey, o, Now + OccurrenceEngine.ProfileRetry, new OccurrenceFacts(vip, true, TimeZoneInfo.Utc));
        Assert.That(retried.Sends.Single().Template, Is.EqualTo("vip"));
    }

    [Test]
    public void A_branch_tests_traits_profile_fields_and_ages_as_segments_do()
    {
        var journey = Parse("""
            {"name": "J", "entry": {"event": "Product Added"},
             "steps": [{"id": "route", "branch": [
                         {"if": {"and": [{"trait": "plan", "in": ["pro", "team"]}, {"profile": "cartValue", "gte": 100}]}, "next": "big-cart"},
                         {"if": {"or": [{"profile": "daysSinceFirstSeen", "lt": 7}, {"trait": "email", "exists": false}]}, "next": "welcome"}],
                       "else": "plain"},
                       {"id": "plain", "send": {"channel": "email", "template": "plain"}, "next": "exit"},
                       {"id": "welcome", "send": {"channel": "email", "template": "welcome"}, "next": "exit"},
                       {"id": "big-cart", "send": {"channel": "email", "template": "big-cart"}}]}
            """);
        CustomerProfile Person(string plan, decimal price, int daysKnown) => new()
        {
            FirstSeen = Now.AddDays(-daysKnown),
            Traits = { ["plan"] = JsonSerializer.SerializeToElement(plan), ["email"] = JsonSerializer.SerializeToElement("a@example.com") },
            Cart = { ["sku"] = new CartLine("sku", null, 1, price) },
        };
        string Sent(CustomerProfile? profile) =>
            OccurrenceEngine.Start(journey, New(), Now, new OccurrenceFacts(profile, true, TimeZoneInfo.Utc)).Sends.Single().Template;

        Assert.That(Sent(Person("pro", 120, daysKnown: 30)), Is.EqualTo("big-cart"));
        Assert.That(Sent(Person("free", 120, daysKnown: 30)), Is.EqualTo("plain"), "a trait outside the list fails the case");
        Assert.That(Sent(Person("team", 99, daysKnown: 30)), Is.EqualTo("plain"), "both parts of an and must hold");
        Assert.That(Sent(Person("team", 99, daysKnown: 3)), Is.EqualTo("welcome"), "known for under a week, counted from the turn's instant");
        Assert.That(Sent(null), Is.EqualTo("welcome"), "with no profile every field is absent");
    }

    [Test]
    public void A_wait_until_a_time_of_day_ends_at_the_next_such_time_in_the_persons_zone()
    {
        var journey = Parse("""{"name": "J", "entry": {"event": "X"}, "steps": [{"id": "morning", "waitUntil": "09:00"}, {"id": "s", "send": {"channel": "email", "template": "t"}}]}""");
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        var o = New();
        // 10:00 UTC is 19:00 in Tokyo: the next 09:00 there is 00:00 UTC the next day.
        OccurrenceEngine.Start(journey, o, Now, new OccurrenceFacts(null, true, tokyo));
        Assert.That(o.DueAt, Is.EqualTo(new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero)));
        Assert.That(o.DueAt!.Value.Offset, Is.EqualTo(TimeSpan.Zero), "stored in UTC");
        var early = New();
        OccurrenceEngine.Start(journey, early, Now.AddHours(-10), new OccurrenceFacts(null, true, TimeZoneInfo.Utc));
        Assert.That(early.DueAt, Is.EqualTo(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero)), "00:00 UTC waits for 09:00 the same day");
    }

    [Test]
    public void A_held_out_entrant_goes_through_the_steps_with_its_sends_withheld_and_exits_on_the_goal()
    {
        var o = New(holdout: true);
        var start = OccurrenceEngine.Start(CartAbandonment, o, Now, NoProfile);
        Assert.That(start.Records.Select(r => r.Outcome), Is.EqualTo(new[] { "heldOut", "waiting" }));
        var resumed = OccurrenceEngine.Resume(CartAbandonment, o, Now.AddHours(24), NoProfile);
        Assert.That(resumed.Sends, Is.Empty);
        Assert.That(resumed.Records.Select(r => (r.StepId, r.Outcome)), Is.EqualTo(new[] { ((string?)"email", "withheld"), ("reply", "waiting") }));
        OccurrenceEngine.Receive(CartAbandonment, o, Event("Order Completed", new { cart_id = "c1" }), Now.AddHours(25), NoProfile);
        Assert.That(o.Status, Is.EqualTo(OccurrenceStatus.Exited), "the holdout converts as the treatment does, so lift can be measured");
    }
}
