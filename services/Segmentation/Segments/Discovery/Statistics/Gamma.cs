namespace Personalization.Segmentation.Segments.Discovery.Statistics;

/// <summary>
/// The regularised upper incomplete gamma function Q(a, x), from which the chi-square and normal tail probabilities
/// follow: by its series below a + 1 and by its continued fraction (modified Lentz) above, to about 1e-14.
/// </summary>
public static class Gamma
{
    private const double Epsilon = 1e-15;
    private const int MaxTerms = 500;

    /// <summary>P(χ² with <paramref name="degrees"/> degrees of freedom ≥ <paramref name="statistic"/>).</summary>
    public static double ChiSquareTail(double statistic, int degrees) => statistic <= 0 ? 1 : Upper(degrees / 2.0, statistic / 2);

    /// <summary>P(|Z| ≥ |z|) for a standard normal Z: erfc(|z| / √2).</summary>
    public static double NormalTwoSided(double z) => z == 0 ? 1 : Upper(0.5, z * z / 2);

    public static double Upper(double a, double x)
    {
        if (x <= 0) return 1;
        var logPrefix = a * Math.Log(x) - x - LogGamma(a);
        if (x < a + 1)
        {
            // P(a, x) = x^a e^-x / Γ(a + 1) · Σ x^n / ((a + 1)…(a + n))
            double term = 1 / a, sum = term;
            for (var n = 1; n < MaxTerms && Math.Abs(term) > Math.Abs(sum) * Epsilon; n++)
            {
                term *= x / (a + n);
                sum += term;
            }
            return Math.Max(0, 1 - sum * Math.Exp(logPrefix));
        }
        // Q(a, x) = x^a e^-x / Γ(a) · 1 / (x + 1 − a − 1·(1 − a) / (x + 3 − a − …))
        const double tiny = 1e-300;
        double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
        for (var i = 1; i < MaxTerms; i++)
        {
            var an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.Abs(d) < tiny) d = tiny;
            c = b + an / c;
            if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d;
            var step = d * c;
            h *= step;
            if (Math.Abs(step - 1) < Epsilon) break;
        }
        return Math.Exp(logPrefix) * h;
    }

    /// <summary>ln Γ(x) for x > 0, by Lanczos' approximation (g = 7, nine terms).</summary>
    public static double LogGamma(double x)
    {
        if (x < 0.5) return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        ReadOnlySpan<double> c =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        x -= 1;
        var sum = c[0];
        for (var i = 1; i < c.Length; i++) sum += c[i] / (x + i);
        var t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }
}
