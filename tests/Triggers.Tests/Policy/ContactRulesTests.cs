using System.Text.Json;
using Personalization.Triggers.Policy;
using Personalization.Triggers.Templates;

namespace Personalization.Triggers.Tests.Policy;

public class ContactRulesTests
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    private static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    private static ContactPolicy Policy(string json) => ContactPolicyParser.Parse(JsonDocument.Parse(json).RootElement).Policy
                                                        ?? throw new ArgumentException("the test's policy does not parse", nameof(json));

    private static readonly ContactPolicy Standard = Policy("""
        {"timeZone": "Europe/London", "quietHours": {"from": "21:00", "to": "08:00"},
         "channels": {"email": {"caps": [{"max": 3, "per": "7d"}], "journeyCaps": [{"max": 1, "per": "1d"}]}, "webhook": {"caps": []}},
         "subscriptionGroups": [{"id": "marketing", "name": "Marketing emails"}]}
        """);

    private static Recipient Person(params PastSend[] sent) => new(null, true, new HashSet<string>(), new HashSet<Channel>(), sent);

    private static readonly Outgoing CartEmail = new(Channel.Email, "cart", "marketing", Personalised: true);

    /// <summary>Noon in London on 2026-11-10 (GMT).</summary>
    private static readonly DateTimeOffset Noon = new(2026, 11, 10, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void A_message_within_every_rule_goes_now() =>
        Assert.That(ContactRules.Decide(Standard, Person(), CartEmail, Noon), Is.EqualTo(ContactDecision.Send));

    [Test]
    public void Caps_count_sends_across_journeys_and_within_the_journey_over_a_sliding_window()
    {
        var threeOthers = Person(new PastSend(Noon.AddDays(-1), Channel.Email, "welcome"), new PastSend(Noon.AddDays(-3), Channel.Email, "news"),
            new PastSend(Noon.AddDays(-6.9), Channel.Email, "news"));
        var across = ContactRules.Decide(Standard, threeOthers, CartEmail, Noon);
        Assert.That((across.Verdict, across.Reason), Is.EqualTo((Verdict.Skip, "frequency cap: at most 3 emails per 7d across journeys")));

        var oneAged = threeOthers with { Sent = [.. threeOthers.Sent.Take(2), new PastSend(Noon.AddDays(-7.1), Channel.Email, "news"), new PastSend(Noon.AddHours(-1), Channel.Push, "news")] };
        Assert.That(ContactRules.Decide(Standard, oneAged, CartEmail, Noon).Verdict, Is.EqualTo(Verdict.Send), "a send older than the window, and a push, do not count");

        var sameJourney = ContactRules.Decide(Standard, Person(new PastSend(Noon.AddHours(-23), Channel.Email, "cart")), CartEmail, Noon);
        Assert.That(sameJourney.Reason, Is.EqualTo("frequency cap: at most 1 emails per 1d from this journey"));
        Assert.That(ContactRules.Decide(Standard, Person(new PastSend(Noon.AddHours(-25), Channel.Email, "cart")), CartEmail, Noon).Verdict, Is.EqualTo(Verdict.Send));
    }

    [Test]
    public void Consent_suppression_and_unsubscribing_skip_with_their_reasons()
    {
        Assert.That(ContactRules.Decide(Standard, Person() with { Consented = false }, CartEmail, Noon).Reason, Does.StartWith("consent"));
        Assert.That(ContactRules.Decide(Standard, Person() with { Consented = false }, CartEmail with { Personalised = false }, Noon).Verdict, Is.EqualTo(Verdict.Send),
            "a message that is not personalised needs no consent for personalisation");
        Assert.That(ContactRules.Decide(Standard, Person() with { Suppressed = new HashSet<Channel> { Channel.Email } }, CartEmail, Noon).Reason, Does.StartWith("suppressed"));
        Assert.That(ContactRules.Decide(Standard, Person() with { Suppressed = new HashSet<Channel> { Channel.Email } }, CartEmail with { Channel = Channel.Push }, Noon).Verdict,
            Is.EqualTo(Verdict.Send), "a bounce suppresses its channel only");
        Assert.That(ContactRules.Decide(Standard, Person() with { Unsubscribed = new HashSet<string> { "marketing" } }, CartEmail, Noon).Reason, Does.StartWith("unsubscribed"));
    }

    [Test]
    public void Quiet_hours_defer_to_their_end_in_the_persons_time_zone_or_the_tenants()
    {
        var late = new DateTimeOffset(2026, 11, 10, 22, 30, 0, TimeSpan.Zero); // 22:30 in London, 07:30 next day in Tokyo
        var deferred = ContactRules.Decide(Standard, Person(), CartEmail, late);
        Assert.That((deferred.Verdict, deferred.Until), Is.EqualTo((Verdict.Defer, (DateTimeOffset?)new DateTimeOffset(2026, 11, 11, 8, 0, 0, TimeSpan.Zero))));
        Assert.That(deferred.Reason, Is.EqualTo("quiet hours: 21:00–08:00 in Europe/London"));

        var inTokyo = ContactRules.Decide(Standard, Person() with { TimeZone = Tokyo }, CartEmail, late);
        Assert.That(inTokyo.Until, Is.EqualTo(new DateTimeOffset(2026, 11, 11, 8, 0, 0, TimeSpan.FromHours(9))), "08:00 in Tokyo, half an hour later");
        Assert.That(ContactRules.Decide(Standard, Person() with { TimeZone = Tokyo }, CartEmail, Noon).Verdict, Is.EqualTo(Verdict.Defer), "21:00 in Tokyo");

        var early = new DateTimeOffset(2026, 11, 10, 6, 0, 0, TimeSpan.Zero);
        Assert.That(ContactRules.Decide(Standard, Person(), CartEmail, early).Until, Is.EqualTo(new DateTimeOffset(2026, 11, 10, 8, 0, 0, TimeSpan.Zero)), "after midnight: the same morning");
        Assert.That(ContactRules.Decide(Standard, Person(), CartEmail with { Channel = Channel.Webhook }, late).Verdict, Is.EqualTo(Verdict.Send), "webhooks ignore quiet hours by default");
    }

    [Test]
    public void A_quiet_end_on_a_day_the_clocks_change_is_that_local_time_in_the_new_offset()
    {
        // London moves to BST at 01:00 GMT on 2027-03-28; quiet hours to 01:30 end at the first instant after the gap.
        var quiet = new QuietHours(new TimeOnly(0, 0), new TimeOnly(1, 30));
        var until = ContactRules.QuietUntil(quiet, London, new DateTimeOffset(2027, 3, 28, 0, 10, 0, TimeSpan.Zero));
        Assert.That(until, Is.EqualTo(new DateTimeOffset(2027, 3, 28, 2, 0, 0, TimeSpan.FromHours(1))), "01:30 does not exist that night; 02:00 BST does");
        Assert.That(ContactRules.QuietUntil(quiet, London, new DateTimeOffset(2027, 3, 28, 3, 0, 0, TimeSpan.Zero)), Is.Null);
    }
}
