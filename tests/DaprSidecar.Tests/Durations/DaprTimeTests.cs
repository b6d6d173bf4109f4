using Personalization.DaprSidecar.Durations;

namespace Personalization.DaprSidecar.Tests.Durations;

public class DaprTimeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [TestCase("0h0m5s0ms", 5)]
    [TestCase("PT5S", 5)]
    [TestCase("1m", 60)]
    [TestCase("P1D", 86_400)]
    public void Durations_count_from_the_offset(string text, int seconds) =>
        Assert.That(DaprTime.Parse(text, Now), Is.EqualTo(Now.AddSeconds(seconds)));

    [Test]
    public void Rfc3339_times_are_absolute()
    {
        Assert.That(DaprTime.Parse("2026-12-01T08:30:00Z", Now), Is.EqualTo(new DateTimeOffset(2026, 12, 1, 8, 30, 0, TimeSpan.Zero)));
        Assert.That(DaprTime.Parse("2026-12-01T08:30:00+02:00", Now), Is.EqualTo(new DateTimeOffset(2026, 12, 1, 6, 30, 0, TimeSpan.Zero)));
        Assert.That(DaprTime.Parse("2026-12-01T08:30:00.123456789Z", Now),
            Is.EqualTo(new DateTimeOffset(2026, 12, 1, 8, 30, 0, TimeSpan.Zero).AddTicks(1_234_567)));
    }

    [TestCase("R2/PT5S", "repetitions")]
    [TestCase("2026-12-01 08:30:00", "unsupported")]
    [TestCase("2026-12-01T08:30:00", "unsupported")]
    [TestCase("tomorrow", "unsupported")]
    public void Refuses_what_daprd_refuses(string text, string reason) =>
        Assert.That(() => DaprTime.Parse(text, Now), Throws.TypeOf<FormatException>().With.Message.Contains(reason));

    [Test]
    public void Formats_rfc3339_in_utc_without_needless_fractions()
    {
        Assert.That(DaprTime.FormatRfc3339(new DateTimeOffset(2026, 12, 1, 8, 30, 0, TimeSpan.FromHours(2))), Is.EqualTo("2026-12-01T06:30:00Z"));
        Assert.That(DaprTime.FormatRfc3339(new DateTimeOffset(2026, 12, 1, 8, 30, 0, 250, TimeSpan.Zero)), Is.EqualTo("2026-12-01T08:30:00.25Z"));
    }
}
