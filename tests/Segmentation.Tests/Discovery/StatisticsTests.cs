using Personalization.Segmentation.Segments.Discovery.Statistics;

namespace Personalization.Segmentation.Tests.Discovery;

public class StatisticsTests
{
    [TestCase(3.841458820694124, 1, 0.05)]
    [TestCase(5.991464547107979, 2, 0.05)]
    [TestCase(2.0, 2, 0.36787944117144233)] // e^-1: with two degrees of freedom the tail is e^(-x/2)
    [TestCase(30.0, 10, 0.000857613)]
    public void Chi_square_tails_match_the_tables(double statistic, int degrees, double expected) =>
        Assert.That(Gamma.ChiSquareTail(statistic, degrees), Is.EqualTo(expected).Within(1e-6));

    [TestCase(1.959963984540054, 0.05)]
    [TestCase(1.0, 0.31731050786291415)]
    [TestCase(3.0, 0.0026997960632601866)]
    public void Normal_two_sided_tails_match_the_tables(double z, double expected)
    {
        Assert.That(Gamma.NormalTwoSided(z), Is.EqualTo(expected).Within(1e-9));
        Assert.That(Gamma.NormalTwoSided(-z), Is.EqualTo(expected).Within(1e-9));
    }

    [Test]
    public void Log_gamma_of_whole_numbers_is_the_log_factorial() =>
        Assert.That(Gamma.LogGamma(5), Is.EqualTo(Math.Log(24)).Within(1e-12));

    [Test]
    public void Auc_counts_the_pairs_ranked_right_and_ties_as_half()
    {
        // Positives 0.35 and 0.8 against negatives 0.1 and 0.4: three of four pairs are in order.
        Assert.That(Classification.Auc([0.1, 0.4, 0.35, 0.8], [false, false, true, true]), Is.EqualTo(0.75));
        Assert.That(Classification.Auc([0.5, 0.5], [true, false]), Is.EqualTo(0.5));
        Assert.That(Classification.Auc([0.5, 0.6], [true, true]), Is.NaN);
    }

    [Test]
    public void Calibration_bins_predictions_and_scores_them()
    {
        var report = Classification.Calibration([0.1, 0.1, 0.9, 0.9], [false, true, true, true]);
        Assert.That(report.Brier, Is.EqualTo((0.01 + 0.81 + 0.01 + 0.01) / 4).Within(1e-12));
        Assert.That(report.ExpectedCalibrationError, Is.EqualTo((2 * 0.4 + 2 * 0.1) / 4).Within(1e-12));
        Assert.That(report.Bins.Select(b => (b.Count, b.Observed)), Is.EqualTo(new[] { (2, 0.5), (2, 1.0) }));
    }

    [Test]
    public void For_two_groups_the_chi_square_is_the_squared_z_of_the_proportion_test()
    {
        // 10 of 100 against 20 of 100: expected 15 and 85 in each row.
        var chi = Independence.ChiSquare([(10, 100), (20, 100)]);
        Assert.That(chi.Statistic, Is.EqualTo(2 * (25 / 15.0 + 25 / 85.0)).Within(1e-12));
        Assert.That(chi.DegreesOfFreedom, Is.EqualTo(1));
        var pair = Independence.Pairwise([("a", 10, 100), ("b", 20, 100)]).Single();
        Assert.That(pair.Z * pair.Z, Is.EqualTo(chi.Statistic).Within(1e-9));
        Assert.That(pair.PValue, Is.EqualTo(chi.PValue).Within(1e-9));
        Assert.That(chi.PValue, Is.EqualTo(0.0477).Within(0.0001));
    }

    [Test]
    public void Holm_multiplies_the_smallest_p_value_by_the_family_size_and_never_lowers_one()
    {
        var tests = Independence.Pairwise([("a", 10, 100), ("b", 20, 100), ("c", 12, 100)]);
        Assert.That(tests, Has.Count.EqualTo(3));
        var smallest = tests.MinBy(t => t.PValue)!;
        Assert.That(smallest.HolmPValue, Is.EqualTo(Math.Min(1, smallest.PValue * 3)).Within(1e-12));
        Assert.That(tests.All(t => t.HolmPValue >= t.PValue && t.HolmPValue <= 1), Is.True);
    }

    [Test]
    public void Conversion_that_does_not_depend_on_the_segment_is_not_significant()
    {
        var chi = Independence.ChiSquare([(10, 100), (10, 100), (0, 0)]);
        Assert.That((chi.Statistic, chi.DegreesOfFreedom, chi.PValue), Is.EqualTo((0.0, 1, 1.0)));
    }
}
