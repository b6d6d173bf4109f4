namespace Personalization.Segmentation.Segments.Preview;

/// <summary>
/// How many of the tenant's people a draft would hold now: <see cref="Matched"/> of a random sample of
/// <see cref="Sampled"/> out of <see cref="Population"/>, scaled up, with a 95% interval (Wilson's, on the share).
/// <see cref="Exact"/> when the sample was everyone.
/// </summary>
public sealed record PreviewEstimate(long Population, int Sampled, int Matched, long Estimate, long Low, long High, bool Exact)
{
    private const double Z = 1.959963984540054;

    public static PreviewEstimate Of(long population, int sampled, int matched)
    {
        if (sampled >= population) return new(population, sampled, matched, matched, matched, matched, Exact: true);
        var (low, high) = Wilson(matched, sampled);
        var outside = sampled - matched;
        // Whoever was sampled is known: the bounds never fall below the members seen or above everyone not ruled out.
        return new(population, sampled, matched,
            (long)Math.Round((double)matched / sampled * population),
            Math.Max(matched, (long)Math.Floor(low * population)),
            Math.Min(population - outside, (long)Math.Ceiling(high * population)),
            Exact: false);
    }

    private static (double Low, double High) Wilson(int matched, int sampled)
    {
        if (sampled == 0) return (0, 1);
        double n = sampled, p = matched / n, z2 = Z * Z;
        var centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        var half = Z * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
