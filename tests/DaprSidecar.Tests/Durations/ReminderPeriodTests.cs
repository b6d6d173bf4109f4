using Personalization.DaprSidecar.Durations;

namespace Personalization.DaprSidecar.Tests.Durations;

public class ReminderPeriodTests
{
    [Test]
    public void Iso_period_with_repetitions()
    {
        var period = ReminderPeriod.Parse("R3/PT10S");
        Assert.That(period, Is.EqualTo(new ReminderPeriod(0, 0, 0, TimeSpan.FromSeconds(10), 3)));
        Assert.That(period.Repeats, Is.True);
    }

    [Test]
    public void Iso_period_with_calendar_and_time_parts()
    {
        Assert.That(ReminderPeriod.Parse("P1D"), Is.EqualTo(new ReminderPeriod(0, 0, 1, TimeSpan.Zero, ReminderPeriod.Unlimited)));
        Assert.That(ReminderPeriod.Parse("PT1H30M"), Is.EqualTo(new ReminderPeriod(0, 0, 0, TimeSpan.FromMinutes(90), ReminderPeriod.Unlimited)));
        Assert.That(ReminderPeriod.Parse("P1Y2M3W4DT5H6M7S"),
            Is.EqualTo(new ReminderPeriod(1, 2, 25, new TimeSpan(5, 6, 7), ReminderPeriod.Unlimited)));
    }

    [Test]
    public void Go_duration_repeats_without_limit()
    {
        Assert.That(ReminderPeriod.Parse("0h0m10s0ms"), Is.EqualTo(new ReminderPeriod(0, 0, 0, TimeSpan.FromSeconds(10), ReminderPeriod.Unlimited)));
    }

    [Test]
    public void Empty_period_fires_once()
    {
        Assert.That(ReminderPeriod.Parse(""), Is.EqualTo(ReminderPeriod.None));
        Assert.That(ReminderPeriod.Parse(null).Repeats, Is.False);
        Assert.That(ReminderPeriod.Parse("0h0m0s0ms").Repeats, Is.False, "a zero period (what the SDK sends for none) does not repeat");
    }

    [Test]
    public void Adding_a_calendar_period_follows_the_calendar()
    {
        var start = new DateTimeOffset(2026, 3, 28, 12, 0, 0, TimeSpan.Zero);
        Assert.That(ReminderPeriod.Parse("P1M").After(start), Is.EqualTo(new DateTimeOffset(2026, 4, 28, 12, 0, 0, TimeSpan.Zero)));
        Assert.That(ReminderPeriod.Parse("P1DT1H").After(start), Is.EqualTo(new DateTimeOffset(2026, 3, 29, 13, 0, 0, TimeSpan.Zero)));
    }

    [TestCase("R0/PT1S", "zero repetitions")]
    [TestCase("R/PT1S", "unsupported")]
    [TestCase("PT1D", "unsupported")]
    [TestCase("P1H", "unsupported")]
    [TestCase("PT10", "unsupported")]
    [TestCase("P1.5D", "unsupported")]
    [TestCase("every 5s", "unsupported")]
    public void Refuses_what_daprd_refuses(string text, string reason) =>
        Assert.That(() => ReminderPeriod.Parse(text), Throws.TypeOf<FormatException>().With.Message.Contains(reason));
}
