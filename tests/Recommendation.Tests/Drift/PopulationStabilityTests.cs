using Personalization.Recommendation.Drift;

namespace Personalization.Recommendation.Tests.Drift;

public class PopulationStabilityTests
{
    [Test]
    public void Index_matches_the_hand_computed_value()
    {
        // (0.1−0.25)ln(0.4) + (0.2−0.25)ln(0.8) + (0.3−0.25)ln(1.2) + (0.4−0.25)ln(1.6)
        Assert.That(PopulationStability.Index([25, 25, 25, 25], [10, 20, 30, 40]), Is.EqualTo(0.228217).Within(1e-6));
    }

    [Test]
    public void An_empty_bin_counts_as_a_small_share_and_gives_a_finite_index()
    {
        Assert.That(PopulationStability.Index([0.5, 0.5, 0], [0.4, 0.4, 0.2]), Is.EqualTo(1.564049).Within(1e-6));
    }

    [Test]
    public void The_same_distribution_is_stable()
    {
        Assert.That(PopulationStability.Index([3, 5, 2], [30, 50, 20]), Is.EqualTo(0).Within(1e-12));
    }

    [Test]
    public void Quantile_bins_of_the_training_values_hold_equal_shares_and_a_shifted_sample_drifts()
    {
        var training = Enumerable.Range(0, 1000).Select(i => (double)i).ToArray();
        var edges = PopulationStability.QuantileEdges(training, 4);

        Assert.That(edges, Is.EqualTo(new[] { 250.0, 500.0, 750.0 }));
        Assert.That(PopulationStability.Counts(training, edges), Is.EqualTo(new[] { 250.0, 250, 250, 250 }));
        var shifted = training.Select(v => v + 400);
        Assert.That(PopulationStability.Index(PopulationStability.Counts(training, edges), PopulationStability.Counts(shifted, edges)),
            Is.GreaterThan(PopulationStability.Drift));
    }

    [Test]
    public void Tied_values_collapse_bins()
    {
        Assert.That(PopulationStability.QuantileEdges([1, 1, 1, 1, 2, 2, 2, 2], 4), Is.EqualTo(new[] { 2.0 }));
    }

    [Test]
    public void Mismatched_bins_are_refused()
    {
        Assert.Throws<ArgumentException>(() => PopulationStability.Index([1, 2], [1, 2, 3]));
    }
}
