using System.Text.Json;
using Microsoft.Extensions.Options;
using Personalization.Contracts;
using Personalization.Contracts.EventLog;
using Personalization.Ingestion.Screening;

namespace Personalization.Ingestion.Tests.Screening;

public class EventScreeningTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 30, TimeSpan.Zero);

    private static EventScreening Screening(ScreeningOptions? options = null)
    {
        var wrapped = Options.Create(options ?? new ScreeningOptions());
        return new EventScreening(wrapped, new BurstDetector(wrapped));
    }

    private static EventAccepted Event(object? context, string user = "u", DateTimeOffset? at = null) => new(
        "t", "web", Guid.NewGuid().ToString(), EventTypes.Track, "Product Viewed", user, null, at ?? Now, at ?? Now,
        JsonSerializer.SerializeToElement(new { context }));

    private static EventFlags FlagsOf(EventScreening screening, EventAccepted e) => screening.Screen([e]).Single().Flags;

    [TestCase("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")]
    [TestCase("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0 Safari/537.36")]
    [TestCase("python-requests/2.31.0")]
    [TestCase("facebookexternalhit/1.1")]
    public void Known_bots_are_flagged(string agent) =>
        Assert.That(FlagsOf(Screening(), Event(new { userAgent = agent })), Is.EqualTo(EventFlags.KnownBot));

    [TestCase("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")]
    [TestCase("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36")]
    public void Browsers_are_not_flagged(string agent) =>
        Assert.That(FlagsOf(Screening(), Event(new { userAgent = agent })), Is.EqualTo(EventFlags.None));

    [Test]
    public void Configured_patterns_add_to_the_known_bots() =>
        Assert.That(FlagsOf(Screening(new ScreeningOptions { BotUserAgents = ["acme-monitor"] }), Event(new { userAgent = "ACME-Monitor/1" })),
            Is.EqualTo(EventFlags.KnownBot));

    [Test]
    public void Segment_consent_for_personalization_decides()
    {
        var screening = Screening();

        Assert.That(FlagsOf(screening, Event(new { consent = new { categoryPreferences = new { Personalization = false, Analytics = true } } })), Is.EqualTo(EventFlags.NoConsent));
        Assert.That(FlagsOf(screening, Event(new { consent = new { categoryPreferences = new { Personalization = true } } })), Is.EqualTo(EventFlags.None));
    }

    [Test]
    public void Rudder_denied_consent_for_personalization_is_flagged() =>
        Assert.That(FlagsOf(Screening(), Event(new { consentManagement = new { deniedConsentIds = new[] { "personalization" } } })), Is.EqualTo(EventFlags.NoConsent));

    [Test]
    public void Without_stated_consent_the_configured_default_applies()
    {
        Assert.That(FlagsOf(Screening(), Event(new { locale = "en" })), Is.EqualTo(EventFlags.None));
        Assert.That(FlagsOf(Screening(new ScreeningOptions { RequireExplicitConsent = true }), Event(new { locale = "en" })), Is.EqualTo(EventFlags.NoConsent));
    }

    [Test]
    public void Events_over_the_per_minute_rate_of_one_person_are_flagged_as_a_burst()
    {
        var screening = Screening(new ScreeningOptions { MaxEventsPerUserPerMinute = 3 });

        var flags = screening.Screen(Enumerable.Range(0, 5).Select(_ => Event(null)).ToList()).Select(e => e.Flags).ToList();
        var otherPerson = FlagsOf(screening, Event(null, user: "someone-else"));
        var nextMinute = FlagsOf(screening, Event(null, at: Now.AddMinutes(1)));

        Assert.That(flags, Is.EqualTo(new[] { EventFlags.None, EventFlags.None, EventFlags.None, EventFlags.Burst, EventFlags.Burst }));
        Assert.That(otherPerson, Is.EqualTo(EventFlags.None));
        Assert.That(nextMinute, Is.EqualTo(EventFlags.None));
    }
}
