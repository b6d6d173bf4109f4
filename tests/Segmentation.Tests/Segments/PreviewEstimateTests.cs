using Personalization.Segmentation.Segments.Preview;

namespace Personalization.Segmentation.Tests.Segments;

public class PreviewEstimateTests
{
    [Test]
    public void A_sample_is_scaled_up_with_wilson_s_interval()
    {
        // 10 of 100: Wilson's 95% interval on the share is 0.0552 to 0.1744.
        var estimate = PreviewEstimate.Of(population: 10_000, sampled: 100, matched: 10);
        Assert.That(estimate.Estimate, Is.EqualTo(1000));
        Assert.That(estimate.Low, Is.EqualTo(552).Within(1));
        Assert.That(estimate.High, Is.EqualTo(1744).Within(1));
        Assert.That(estimate.Exact, Is.False);
    }

    [Test]
    public void The_bounds_keep_to_what_the_sample_showed()
    {
        // Wilson's interval for 0 of 100 reaches 3.7% (4 of 102), but only the 2 people not sampled can be in.
        var none = PreviewEstimate.Of(population: 102, sampled: 100, matched: 0);
        Assert.That((none.Low, none.High), Is.EqualTo((0L, 2L)));
        // For 100 of 100 it starts at 96.3% (98 of 102), below the 100 seen to be in.
        var all = PreviewEstimate.Of(population: 102, sampled: 100, matched: 100);
        Assert.That((all.Low, all.High), Is.EqualTo((100L, 102L)));
    }

    [Test]
    public void Everyone_sampled_is_an_exact_count()
    {
        var estimate = PreviewEstimate.Of(population: 40, sampled: 40, matched: 7);
        Assert.That((estimate.Estimate, estimate.Low, estimate.High, estimate.Exact), Is.EqualTo((7L, 7L, 7L, true)));
    }
}
