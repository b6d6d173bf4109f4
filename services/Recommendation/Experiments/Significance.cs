using MathNet.Numerics.Distributions;

namespace Personalization.Recommendation.Experiments;

/// <summary>Count, mean and sample variance of one variant's per-person values (revenue per person).</summary>
public readonly record struct Moments(long Count, double Mean, double Variance)
{
    public static Moments FromSums(long count, double sum, double sumOfSquares)
    {
        if (count == 0) return new Moments(0, 0, 0);
        var mean = sum / count;
        // Sample variance; clamped because sum-of-squares arithmetic can dip just below zero.
        var variance = count < 2 ? 0 : Math.Max(0, (sumOfSquares - count * mean * mean) / (count - 1));
        return new Moments(count, mean, variance);
    }
}

/// <summary>A variant against control: the difference, its 95% interval, the test statistic and the two-sided p-value.</summary>
public sealed record Comparison(double Control, double Variant, double Difference, double Low, double High, double Statistic, double PValue)
{
    public bool Significant => PValue < 0.05;
}

/// <summary>The two tests the experiment results call reports.</summary>
public static class Significance
{
    private static readonly double Z975 = Normal.InvCDF(0, 1, 0.975);

    /// <summary>
    /// Two-proportion z-test of <paramref name="variantHits"/>/<paramref name="variantTrials"/> against control: the
    /// statistic uses the pooled rate (the null hypothesis says the rates are equal), the interval the unpooled one.
    /// </summary>
    public static Comparison Proportions(long controlHits, long controlTrials, long variantHits, long variantTrials)
    {
        if (controlTrials <= 0 || variantTrials <= 0)
            throw new ArgumentException("Both groups need at least one trial.");
        double p1 = (double)controlHits / controlTrials, p2 = (double)variantHits / variantTrials;
        var pooled = (double)(controlHits + variantHits) / (controlTrials + variantTrials);
        var pooledError = Math.Sqrt(pooled * (1 - pooled) * (1.0 / controlTrials + 1.0 / variantTrials));
        var error = Math.Sqrt(p1 * (1 - p1) / controlTrials + p2 * (1 - p2) / variantTrials);
        var (z, p) = Test(p2 - p1, pooledError, df: null);
        return new Comparison(p1, p2, p2 - p1, p2 - p1 - Z975 * error, p2 - p1 + Z975 * error, z, p);
    }

    /// <summary>Welch's t-test of the variant's mean against control's, with Welch–Satterthwaite degrees of freedom.</summary>
    public static Comparison Means(Moments control, Moments variant)
    {
        if (control.Count < 2 || variant.Count < 2)
            throw new ArgumentException("Both groups need at least two values.");
        double a = control.Variance / control.Count, b = variant.Variance / variant.Count;
        var error = Math.Sqrt(a + b);
        var df = error == 0 ? 1 : (a + b) * (a + b) / (a * a / (control.Count - 1) + b * b / (variant.Count - 1));
        var difference = variant.Mean - control.Mean;
        var (t, p) = Test(difference, error, df);
        var critical = StudentT.InvCDF(0, 1, df, 0.975);
        return new Comparison(control.Mean, variant.Mean, difference, difference - critical * error, difference + critical * error, t, p);
    }

    private static (double Statistic, double PValue) Test(double difference, double error, double? df)
    {
        // No spread at all: the difference is either exactly nothing or certain.
        if (error == 0) return (0, difference == 0 ? 1 : 0);
        var statistic = difference / error;
        var tail = df is { } d ? StudentT.CDF(0, 1, d, -Math.Abs(statistic)) : Normal.CDF(0, 1, -Math.Abs(statistic));
        return (statistic, Math.Min(1, 2 * tail));
    }
}
