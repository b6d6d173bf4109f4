using Personalization.DaprSidecar.Durations;

namespace Personalization.DaprSidecar.Tests.Durations;

public class GoDurationTests
{
    [TestCase("0h0m5s0ms", 5_000)]
    [TestCase("1m30s", 90_000)]
    [TestCase("500ms", 500)]
    [TestCase("1h", 3_600_000)]
    [TestCase("1h0m0s0ms", 3_600_000)]
    [TestCase("0h0m0s600ms", 600)]
    [TestCase("1.5s", 1_500)]
    [TestCase("2h45m", 9_900_000)]
    [TestCase("0", 0)]
    [TestCase("-1m", -60_000)]
    [TestCase("1500us", 1.5)]
    [TestCase("1500µs", 1.5)]
    [TestCase("2000000ns", 2)]
    public void Parses_what_go_time_ParseDuration_accepts(string text, double milliseconds) =>
        Assert.That(GoDuration.Parse(text), Is.EqualTo(TimeSpan.FromMilliseconds(milliseconds)));

    [TestCase("")]
    [TestCase("5")]
    [TestCase("1d")]
    [TestCase("PT5S")]
    [TestCase("m5")]
    [TestCase("1h5")]
    [TestCase(".s")]
    [TestCase("1..5s")]
    public void Refuses_what_go_refuses(string text)
    {
        Assert.That(GoDuration.TryParse(text, out _), Is.False);
        Assert.That(() => GoDuration.Parse(text), Throws.TypeOf<FormatException>().With.Message.Contains(text));
    }

    [TestCase(0, "0s")]
    [TestCase(10_000, "10s")]
    [TestCase(90_000, "1m30s")]
    [TestCase(3_600_000, "1h0m0s")]
    [TestCase(1_500, "1.5s")]
    [TestCase(500, "500ms")]
    [TestCase(93_784_000, "26h3m4s")]
    public void Formats_like_go_Duration_String(double milliseconds, string expected) =>
        Assert.That(GoDuration.Format(TimeSpan.FromMilliseconds(milliseconds)), Is.EqualTo(expected));

    [Test]
    public void Formatting_round_trips_through_parsing()
    {
        foreach (var value in new[] { TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(61.25), TimeSpan.FromDays(3.5) })
            Assert.That(GoDuration.Parse(GoDuration.Format(value)), Is.EqualTo(value));
    }
}
