using Personalization.Recommendation.Experiments;

namespace Personalization.Recommendation.Tests.Experiments;

public class SampleSizeTests
{
    [Test]
    public void A_rate_of_ten_percent_needs_3841_people_per_variant_to_show_a_fifth_more_at_power_0_8()
    {
        Assert.That(SampleSize.ForProportions(0.10, 0.20), Is.EqualTo(3841));
    }

    [Test]
    public void Smaller_effects_need_more_people()
    {
        Assert.That(SampleSize.ForProportions(0.10, 0.10), Is.GreaterThan(SampleSize.ForProportions(0.10, 0.20) * 3));
        Assert.That(SampleSize.ForProportions(0.10, -0.20), Is.GreaterThan(0));
    }

    [Test]
    public void A_mean_with_deviation_ten_needs_393_people_per_variant_to_show_a_shift_of_two()
    {
        Assert.That(SampleSize.ForMeans(10, 2), Is.EqualTo(393));
    }

    [TestCase(0.0, 0.1)]
    [TestCase(1.0, 0.1)]
    [TestCase(0.1, 0.0)]
    [TestCase(0.6, 1.0)]
    public void Impossible_rates_are_refused(double baseline, double effect)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleSize.ForProportions(baseline, effect));
    }
}
