using Personalization.Contracts;
using Personalization.Contracts.Conditions;
using System.Text.Json;
using Personalization.Triggers.Journeys;
using Personalization.Triggers.Templates;

namespace Personalization.Triggers.Tests.Journeys;

public class JourneyParserTests
{
    private const string CartAbandonment = """
        {
          "name": "Cart abandonment",
          "entry": {"event": "Product Added", "where": {"currency": "GBP"}},
          "key": "cart_id",
          "reentry": {"oncePer": "7d"},
          "holdout": 0.1,
          "exitWhen": [{"event": "Order Completed", "matchKey": "cart_id"}],
          "steps": [
            {"id": "purchase", "waitFor": {"event": "Order Completed", "matchKey": "cart_id", "timeout": "24h"}, "onEvent": "exit"},
            {"id": "vip", "branch": [{"if": {"and": [{"segment": "high-value"}, {"not": {"segment": "rfm.lost"}}]}, "next": "morning"}]},
            {"id": "email", "send": {"channel": "email", "template": "cart-reminder", "scenario": "cart"}, "next": "exit"},
            {"id": "morning", "waitUntil": "09:00"},
            {"id": "vip-email", "send": {"channel": "email", "template": "vip-cart"}}
          ]
        }
        """;

    private static (JourneyDefinition? Journey, Dictionary<string, string[]> Faults) Parse(string json)
    {
        var (journey, faults) = JourneyParser.Parse(JsonDocument.Parse(json).RootElement);
        return (journey, faults.ToDictionary());
    }

    /// <summary>The cart-abandonment journey with one step replaced.</summary>
    private static string WithStep(int index, string step)
    {
        using var document = JsonDocument.Parse(CartAbandonment);
        var steps = document.RootElement.GetProperty("steps").EnumerateArray().Select(s => s.GetRawText()).ToList();
        steps[index] = step;
        return CartAbandonment.Replace(document.RootElement.GetProperty("steps").GetRawText(), "[" + string.Join(",", steps) + "]");
    }

    [Test]
    public void A_cart_abandonment_journey_parses_with_its_steps_linked()
    {
        var (journey, faults) = Parse(CartAbandonment);
        Assert.That(faults, Is.Empty);
        var entry = (EventEntry)journey!.Entry;
        Assert.That((entry.Filter.Event, entry.Filter.Where["currency"].GetString()), Is.EqualTo(("Product Added", "GBP")));
        Assert.That(journey.Reentry, Is.EqualTo(new Reentry(ReentryMode.OncePer, TimeSpan.FromDays(7))));
        Assert.That(journey.Holdout, Is.EqualTo(0.1));
        Assert.That(journey.ExitWhen.Single().MatchKey, Is.EqualTo("cart_id"));

        var purchase = (WaitForStep)journey.Steps[0];
        Assert.That((purchase.Timeout, purchase.OnEvent, purchase.OnTimeout), Is.EqualTo((TimeSpan.FromHours(24), (string?)null, "vip")),
            "\"exit\" ends the journey; a target not given is the next step in the list");
        var branch = (BranchStep)journey.Steps[1];
        Assert.That(branch.Cases.Single().If, Is.InstanceOf<AllOf>());
        Assert.That((branch.Cases.Single().Next, branch.Else), Is.EqualTo(("morning", "email")));
        Assert.That(((SendStep)journey.Steps[2]).Next, Is.Null);
        Assert.That(((WaitUntilStep)journey.Steps[3]).Time, Is.EqualTo(new TimeOnly(9, 0)));
        Assert.That(((SendStep)journey.Steps[4]) is { Channel: Channel.Email, Next: null }, "the last step ends the journey");
    }

    [TestCase("""{"id": "purchase", "fly": "24h"}""", "$.steps[0]", "Unknown step")]
    [TestCase("""{"id": "purchase", "wait": "soon"}""", "$.steps[0].wait", "positive duration")]
    [TestCase("""{"id": "purchase", "waitFor": {"event": "Order Completed"}}""", "$.steps[0].waitFor.timeout", "Required")]
    [TestCase("""{"id": "purchase", "wait": "1h", "next": "nowhere"}""", "$.steps[0].next", "'nowhere'")]
    [TestCase("""{"id": "vip", "wait": "1h"}""", "$.steps[1].id", "already the id")]
    [TestCase("""{"id": "purchase", "waitUntil": "9am"}""", "$.steps[0].waitUntil", "HH:mm")]
    [TestCase("""{"id": "exit", "wait": "1h"}""", "$.steps[0].id", "journey's end")]
    [TestCase("""{"id": "purchase", "wait": "1h", "send": {"channel": "email", "template": "t"}}""", "$.steps[0]", "does one thing")]
    [TestCase("""{"id": "purchase", "send": {"channel": "webhook", "template": "t"}}""", "$.steps[0].send.url", "url")]
    [TestCase("""{"id": "purchase", "send": {"channel": "sms", "template": "t"}}""", "$.steps[0].send.channel", "email")]
    [TestCase("""{"id": "purchase", "branch": [{"if": {"segmant": "x"}, "next": "email"}]}""", "$.steps[0].branch[0].if.segmant", "Unknown condition")]
    [TestCase("""{"id": "purchase", "branch": [{"if": {"trait": "plan", "equal": "pro"}, "next": "email"}]}""", "$.steps[0].branch[0].if.equal", "Unknown operator")]
    [TestCase("""{"id": "purchase", "branch": [{"if": {"profile": "shoeSize", "gt": 3}, "next": "email"}]}""", "$.steps[0].branch[0].if.profile", "cartValue")]
    [TestCase("""{"id": "purchase", "branch": [{"if": {"profile": "country", "gt": 3}, "next": "email"}]}""", "$.steps[0].branch[0].if.gt", "text field")]
    [TestCase("""{"id": "purchase", "branch": [{"if": {"performed": "Order Completed"}, "next": "email"}]}""", "$.steps[0].branch[0].if.performed", "Unknown condition")]
    [TestCase("""{"id": "purchase", "wait": "1h", "nxt": "email"}""", "$.steps[0].nxt", "Unknown property")]
    public void A_bad_step_gets_a_fault_at_its_path(string step, string path, string message)
    {
        var (journey, faults) = Parse(WithStep(0, step));
        Assert.That(journey, Is.Null);
        Assert.That(faults.Keys, Does.Contain(path), string.Join("; ", faults.Select(f => $"{f.Key}: {string.Join(" ", f.Value)}")));
        Assert.That(string.Join(" ", faults[path]), Does.Contain(message));
    }

    [Test]
    public void Steps_that_loop_back_are_refused_naming_the_cycle()
    {
        var (_, faults) = Parse(WithStep(3, """{"id": "morning", "waitUntil": "09:00", "next": "vip"}"""));
        Assert.That(faults.Keys, Is.EqualTo(new[] { "$.steps[3].next" }));
        Assert.That(faults["$.steps[3].next"].Single(), Does.Contain("vip → morning → vip"));
    }

    [Test]
    public void A_step_nothing_leads_to_is_refused()
    {
        var (_, faults) = Parse(WithStep(0, """{"id": "purchase", "wait": "1h", "next": "email"}"""));
        Assert.That(faults.Keys, Is.EquivalentTo(new[] { "$.steps[1]", "$.steps[3]", "$.steps[4]" }), "vip is skipped over, and only vip led to the morning steps");
        Assert.That(faults["$.steps[1]"].Single(), Does.Contain("never run"));
    }

    [TestCase("""{"name": "x", "steps": [{"id": "a", "exit": true}]}""", "$.entry", "Required")]
    [TestCase("""{"name": "x", "entry": {"segmentEntered": "cart-abandoners"}, "holdout": 0.9, "steps": [{"id": "a", "exit": true}]}""", "$.holdout", "0.5")]
    [TestCase("""{"name": "x", "entry": {"broadcast": {"segment": "vip", "at": "tomorrow"}}, "steps": [{"id": "a", "exit": true}]}""", "$.entry.broadcast.at", "ISO 8601")]
    [TestCase("""{"name": "x", "entry": {"segmentEntered": "vip"}, "reentry": "sometimes", "steps": [{"id": "a", "exit": true}]}""", "$.reentry", "everyTime")]
    [TestCase("""{"name": "x", "entry": {"segmentEntered": "vip"}, "steps": []}""", "$.steps", "1 to 100")]
    [TestCase("""{"entry": {"segmentEntered": "vip"}, "steps": [{"id": "a", "exit": true}]}""", "$.name", "Required")]
    public void A_bad_journey_gets_a_fault_at_its_path(string json, string path, string message)
    {
        var (journey, faults) = Parse(json);
        Assert.That(journey, Is.Null);
        Assert.That(faults.Keys, Does.Contain(path), string.Join("; ", faults.Keys));
        Assert.That(string.Join(" ", faults[path]), Does.Contain(message));
    }

    [Test]
    public void A_broadcast_runs_at_its_time_and_repeats()
    {
        var (journey, faults) = Parse("""{"name": "Weekly", "entry": {"broadcast": {"segment": "rfm.champions", "at": "2026-12-24T09:00:00Z", "every": "1w"}}, "reentry": "everyTime", "steps": [{"id": "a", "exit": true}]}""");
        Assert.That(faults, Is.Empty);
        Assert.That(journey!.Entry, Is.EqualTo(new BroadcastEntry("rfm.champions", new DateTimeOffset(2026, 12, 24, 9, 0, 0, TimeSpan.Zero), TimeSpan.FromDays(7))));
        Assert.That(journey.Reentry.Mode, Is.EqualTo(ReentryMode.EveryTime));
    }
}
