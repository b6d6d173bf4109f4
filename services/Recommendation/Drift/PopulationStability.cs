namespace Personalization.Recommendation.Drift;

/// <summary>
/// Population stability index: Σ (actual − expected) · ln(actual / expected) over the bins of a distribution.
/// Under 0.1 is read as stable, 0.1–0.25 as a moderate shift and above 0.25 as drift.
/// </summary>
public static class PopulationStability
{
    public const double ModerateShift = 0.1, Drift = 0.25;
    /// <summary>An empty bin counts as this share, so one unseen bin gives a large but finite index.</summary>
    public const double EmptyBinShare = 1e-4;

    public static double Index(IReadOnlyList<double> expected, IReadOnlyList<double> actual)
    {
        if (expected.Count != actual.Count || expected.Count == 0)
            throw new ArgumentException("Both distributions need the same, non-zero number of bins.");
        double expectedTotal = expected.Sum(), actualTotal = actual.Sum();
        if (expectedTotal <= 0 || actualTotal <= 0) throw new ArgumentException("Both distributions need some mass.");
        var index = 0.0;
        for (var bin = 0; bin < expected.Count; bin++)
        {
            var e = Math.Max(EmptyBinShare, expected[bin] / expectedTotal);
            var a = Math.Max(EmptyBinShare, actual[bin] / actualTotal);
            index += (a - e) * Math.Log(a / e);
        }
        return index;
    }

    /// <summary>Inner edges of up to <paramref name="bins"/> bins holding equal shares of the training values.</summary>
    public static double[] QuantileEdges(IEnumerable<double> training, int bins = 10)
    {
        var sorted = training.Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("No training values.");
        // Ties collapse edges, so a feature with few distinct values gets fewer bins rather than empty ones.
        return Enumerable.Range(1, bins - 1).Select(i => sorted[(int)((long)i * sorted.Length / bins)])
            .Where(edge => edge > sorted[0]).Distinct().ToArray();
    }

    /// <summary>Counts per bin for the edges from <see cref="QuantileEdges"/>: bin i holds values below edge i.</summary>
    public static double[] Counts(IEnumerable<double> values, IReadOnlyList<double> edges)
    {
        var counts = new double[edges.Count + 1];
        foreach (var value in values)
        {
            var bin = 0;
            while (bin < edges.Count && value >= edges[bin]) bin++;
            counts[bin]++;
        }
        return counts;
    }
}
