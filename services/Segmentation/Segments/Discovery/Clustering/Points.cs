namespace Personalization.Segmentation.Segments.Discovery.Clustering;

/// <summary>Distances and cluster means over points given as rows of equal length.</summary>
public static class Points
{
    public static double SquaredDistance(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }

    public static double Distance(double[] a, double[] b) => Math.Sqrt(SquaredDistance(a, b));

    /// <summary>The index of the nearest of <paramref name="centres"/>.</summary>
    public static int Nearest(double[] point, double[][] centres)
    {
        var (best, bestDistance) = (0, double.MaxValue);
        for (var c = 0; c < centres.Length; c++)
            if (SquaredDistance(point, centres[c]) is var d && d < bestDistance) (best, bestDistance) = (c, d);
        return best;
    }

    /// <summary>The mean of each cluster's points (labels 0 to <paramref name="clusters"/> − 1; others, such as noise, are left out).</summary>
    public static double[][] Means(double[][] points, int[] labels, int clusters)
    {
        var dimensions = points[0].Length;
        var sums = new double[clusters][];
        var counts = new int[clusters];
        for (var c = 0; c < clusters; c++) sums[c] = new double[dimensions];
        for (var i = 0; i < points.Length; i++)
        {
            if (labels[i] < 0 || labels[i] >= clusters) continue;
            counts[labels[i]]++;
            for (var j = 0; j < dimensions; j++) sums[labels[i]][j] += points[i][j];
        }
        for (var c = 0; c < clusters; c++)
            for (var j = 0; j < dimensions; j++) sums[c][j] /= Math.Max(1, counts[c]);
        return sums;
    }
}
