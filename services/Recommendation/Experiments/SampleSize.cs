using MathNet.Numerics.Distributions;

namespace Personalization.Recommendation.Experiments;

/// <summary>
/// People needed per variant to detect an expected effect with a two-sided test at <c>alpha</c> and the given power;
/// below it the results call says "not enough data" rather than reading noise.
/// </summary>
public static class SampleSize
{
    public const double Alpha = 0.05, Power = 0.8;

    /// <summary>For a rate (CTR, conversion) moving from <paramref name="baseline"/> by a relative effect (0.1 = +10%).</summary>
    public static long ForProportions(double baseline, double relativeEffect, double alpha = Alpha, double power = Power)
    {
        if (baseline is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(baseline), "The baseline rate must lie strictly between 0 and 1.");
        var p2 = baseline * (1 + relativeEffect);
        if (relativeEffect == 0 || p2 is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(relativeEffect), "The expected rate must differ from the baseline and lie strictly between 0 and 1.");
        var (za, zb) = Quantiles(alpha, power);
        var mean = (baseline + p2) / 2;
        var root = za * Math.Sqrt(2 * mean * (1 - mean)) + zb * Math.Sqrt(baseline * (1 - baseline) + p2 * (1 - p2));
        return (long)Math.Ceiling(root * root / ((p2 - baseline) * (p2 - baseline)));
    }

    /// <summary>For a mean (revenue per person) with standard deviation <paramref name="deviation"/> moving by <paramref name="difference"/>.</summary>
    public static long ForMeans(double deviation, double difference, double alpha = Alpha, double power = Power)
    {
        if (deviation <= 0 || difference == 0) throw new ArgumentOutOfRangeException(nameof(difference), "Need a positive deviation and a non-zero difference.");
        var (za, zb) = Quantiles(alpha, power);
        return (long)Math.Ceiling(2 * (za + zb) * (za + zb) * deviation * deviation / (difference * difference));
    }

    private static (double Alpha, double Beta) Quantiles(double alpha, double power) =>
        (Normal.InvCDF(0, 1, 1 - alpha / 2), Normal.InvCDF(0, 1, power));
}
