using Personalization.Recommendation.Experiments;

namespace Personalization.Recommendation.Tests.Experiments;

/// <summary>Expected values are worked by hand (python's math and statistics modules, the t tail by numeric integration).</summary>
public class SignificanceTests
{
    [Test]
    public void Two_proportion_z_test_pools_the_rate_for_the_statistic_and_not_for_the_interval()
    {
        var result = Significance.Proportions(100, 1000, 130, 1000);

        Assert.That(result.Difference, Is.EqualTo(0.03).Within(1e-12));
        Assert.That(result.Statistic, Is.EqualTo(2.102741).Within(1e-5));
        Assert.That(result.PValue, Is.EqualTo(0.035488).Within(1e-5));
        Assert.That(result.Low, Is.EqualTo(0.002068).Within(1e-5));
        Assert.That(result.High, Is.EqualTo(0.057932).Within(1e-5));
        Assert.That(result.Significant, Is.True);
    }

    [Test]
    public void Equal_rates_give_no_difference_and_a_p_value_of_one()
    {
        var result = Significance.Proportions(50, 500, 100, 1000);

        Assert.That(result.Statistic, Is.EqualTo(0).Within(1e-12));
        Assert.That(result.PValue, Is.EqualTo(1).Within(1e-12));
        Assert.That(result.Significant, Is.False);
    }

    [Test]
    public void Welch_t_test_uses_satterthwaite_degrees_of_freedom()
    {
        var control = Moments.FromSums(5, 1 + 2 + 3 + 4 + 5, 1 + 4 + 9 + 16 + 25);
        var variant = Moments.FromSums(5, 2 + 4 + 6 + 8 + 10, 4 + 16 + 36 + 64 + 100);

        var result = Significance.Means(control, variant);

        Assert.That(control.Variance, Is.EqualTo(2.5).Within(1e-12));
        Assert.That(variant.Variance, Is.EqualTo(10).Within(1e-12));
        Assert.That(result.Difference, Is.EqualTo(3).Within(1e-12));
        Assert.That(result.Statistic, Is.EqualTo(1.897367).Within(1e-5));
        Assert.That(result.PValue, Is.EqualTo(0.107531).Within(1e-4));
        Assert.That(result.Low, Is.EqualTo(-0.887742).Within(1e-3));
        Assert.That(result.High, Is.EqualTo(6.887742).Within(1e-3));
        Assert.That(result.Significant, Is.False);
    }

    [Test]
    public void Groups_without_spread_are_certain_when_they_differ()
    {
        var result = Significance.Means(new Moments(10, 1, 0), new Moments(10, 2, 0));

        Assert.That(result.PValue, Is.EqualTo(0));
        Assert.That(Significance.Means(new Moments(10, 1, 0), new Moments(10, 1, 0)).PValue, Is.EqualTo(1));
    }

    [Test]
    public void Empty_groups_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Significance.Proportions(0, 0, 1, 10));
        Assert.Throws<ArgumentException>(() => Significance.Means(new Moments(1, 1, 0), new Moments(10, 1, 1)));
    }
}
