namespace Personalization.Segmentation.Segments.Discovery.Clustering;

/// <summary>How well a partition separates its points: the silhouette (higher is better) and Davies–Bouldin (lower is better).</summary>
public static class ClusterQuality
{
    /// <summary>Above this many points the silhouette is taken on a random sample of them, as scikit-learn's <c>sample_size</c>.</summary>
    public const int SilhouetteSample = 10_000;

    /// <summary>
    /// The mean silhouette of the clustered points (noise left out): for each, (b − a) / max(a, b), with a the mean
    /// distance to the rest of its cluster and b the least mean distance to another cluster; 0 for a cluster of one.
    /// </summary>
    public static double Silhouette(double[][] points, int[] labels, int clusters, int seed, int sample = SilhouetteSample)
    {
        var chosen = Enumerable.Range(0, points.Length).Where(i => labels[i] >= 0).ToArray();
        if (chosen.Length > sample)
        {
            new Random(seed).Shuffle(chosen);
            chosen = chosen[..sample];
        }
        var sizes = new int[clusters];
        foreach (var i in chosen) sizes[labels[i]]++;
        if (sizes.Count(s => s > 0) < 2) return 0;

        var scores = new double[chosen.Length];
        Parallel.For(0, chosen.Length, () => new double[clusters], (n, _, sums) =>
        {
            Array.Clear(sums);
            var i = chosen[n];
            foreach (var j in chosen) sums[labels[j]] += Points.Distance(points[i], points[j]);
            var own = labels[i];
            if (sizes[own] == 1) return sums;
            var a = sums[own] / (sizes[own] - 1);
            var b = double.MaxValue;
            for (var c = 0; c < clusters; c++)
                if (c != own && sizes[c] > 0) b = Math.Min(b, sums[c] / sizes[c]);
            scores[n] = Math.Max(a, b) > 0 ? (b - a) / Math.Max(a, b) : 0;
            return sums;
        }, _ => { });
        return scores.Average();
    }

    /// <summary>
    /// The mean over clusters of the worst ratio (sᵢ + sⱼ) / d(cᵢ, cⱼ), with s a cluster's mean distance to its centre
    /// and d the distance between centres (noise left out).
    /// </summary>
    public static double DaviesBouldin(double[][] points, int[] labels, int clusters)
    {
        var centres = Points.Means(points, labels, clusters);
        var spread = new double[clusters];
        var sizes = new int[clusters];
        for (var i = 0; i < points.Length; i++)
        {
            if (labels[i] < 0) continue;
            spread[labels[i]] += Points.Distance(points[i], centres[labels[i]]);
            sizes[labels[i]]++;
        }
        var present = Enumerable.Range(0, clusters).Where(c => sizes[c] > 0).ToArray();
        if (present.Length < 2) return 0;
        foreach (var c in present) spread[c] /= sizes[c];
        return present.Average(c => present.Where(o => o != c)
            .Max(o => Points.Distance(centres[c], centres[o]) is var d && d > 0 ? (spread[c] + spread[o]) / d : double.PositiveInfinity));
    }
}
