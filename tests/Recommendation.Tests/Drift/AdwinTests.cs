using Personalization.Recommendation.Drift;

namespace Personalization.Recommendation.Tests.Drift;

/// <summary>A synthetic click-through stream: one click (1) or none (0) per impression.</summary>
public class AdwinTests
{
    private const int Length = 10_000, ChangeAt = 5_000;
    /// <summary>The delay we state for a CTR doubling from 5% to 10% at delta 0.002.</summary>
    private const int StatedDelay = 1_500;

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(5)]
    public void A_planted_doubling_of_ctr_is_detected_within_the_stated_delay(int seed)
    {
        var random = new Random(seed);
        var adwin = new Adwin();
        int? detectedAt = null;
        for (var i = 0; i < Length && detectedAt is null; i++)
        {
            var rate = i < ChangeAt ? 0.05 : 0.10;
            if (adwin.Add(random.NextDouble() < rate ? 1 : 0)) detectedAt = i;
        }

        Assert.That(detectedAt, Is.Not.Null, "no change detected");
        TestContext.Out.WriteLine($"seed {seed}: detected {detectedAt - ChangeAt} values after the change");
        Assert.That(detectedAt, Is.GreaterThanOrEqualTo(ChangeAt), "alarm before the change");
        Assert.That(detectedAt - ChangeAt, Is.LessThanOrEqualTo(StatedDelay));
        Assert.That(adwin.Width, Is.LessThan(detectedAt!.Value), "the old part of the window is dropped");
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(5)]
    public void A_stationary_stream_of_the_same_length_raises_no_alarm(int seed)
    {
        var random = new Random(seed);
        var adwin = new Adwin();
        var alarms = 0;
        for (var i = 0; i < Length; i++)
            if (adwin.Add(random.NextDouble() < 0.05 ? 1 : 0)) alarms++;

        Assert.That(alarms, Is.Zero);
        Assert.That(adwin.Width, Is.EqualTo(Length));
        Assert.That(adwin.Mean, Is.EqualTo(0.05).Within(0.01));
    }

    [Test]
    public void Mean_and_variance_follow_the_values_across_merges()
    {
        var adwin = new Adwin();
        for (var i = 0; i < 1000; i++) adwin.Add(i % 4 == 0 ? 1 : 0);

        Assert.That(adwin.Mean, Is.EqualTo(0.25).Within(1e-12));
        Assert.That(adwin.Variance, Is.EqualTo(0.1875).Within(1e-9));
    }
}
