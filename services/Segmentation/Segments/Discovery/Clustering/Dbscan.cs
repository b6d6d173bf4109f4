namespace Personalization.Segmentation.Segments.Discovery.Clustering;

/// <summary>What DBSCAN found: the radius it used, its clusters (noise labelled −1) and the share of points left as noise.</summary>
public sealed record DbscanResult(double Eps, int MinPoints, ClusterFit Fit, double NoiseShare);

/// <summary>
/// Density-based clustering: a point with at least <c>minPoints</c> points (itself included) within eps is a core
/// point; clusters are core points reachable from each other and the points near them; the rest is noise. Eps comes
/// from the knee of the sorted k-distance curve. Neighbours are found through a grid of eps-sized cells on the first
/// three dimensions, so a query looks at nearby cells only.
/// </summary>
public static class Dbscan
{
    /// <summary>The k-distance curve is taken on at most this many points (each measured against all).</summary>
    public const int KneeSample = 5_000;

    /// <summary>Sander et al.'s rule of thumb: twice the dimensions, and at least 4.</summary>
    public static int DefaultMinPoints(int dimensions) => Math.Max(4, 2 * dimensions);

    public static DbscanResult Fit(double[][] points, int seed, int? minPoints = null)
    {
        var min = minPoints ?? DefaultMinPoints(points[0].Length);
        var eps = Knee(KDistances(points, min - 1, seed));
        return Fit(points, eps, min);
    }

    public static DbscanResult Fit(double[][] points, double eps, int minPoints)
    {
        var grid = new Grid(points, eps);
        const int unvisited = -2, noise = -1;
        var labels = Enumerable.Repeat(unvisited, points.Length).ToArray();
        var clusters = 0;
        var frontier = new Queue<int>();
        for (var i = 0; i < points.Length; i++)
        {
            if (labels[i] != unvisited) continue;
            var neighbours = grid.Within(i);
            if (neighbours.Count < minPoints)
            {
                labels[i] = noise;
                continue;
            }
            var cluster = clusters++;
            labels[i] = cluster;
            foreach (var n in neighbours) if (labels[n] is unvisited or noise) frontier.Enqueue(n);
            while (frontier.TryDequeue(out var j))
            {
                if (labels[j] == noise) labels[j] = cluster;
                if (labels[j] != unvisited) continue;
                labels[j] = cluster;
                var around = grid.Within(j);
                if (around.Count < minPoints) continue;
                foreach (var n in around) if (labels[n] is unvisited or noise) frontier.Enqueue(n);
            }
        }
        var noiseShare = (double)labels.Count(l => l == noise) / points.Length;
        return new DbscanResult(eps, minPoints, new ClusterFit(labels, Points.Means(points, labels, clusters)), noiseShare);
    }

    /// <summary>Each sampled point's distance to its k-th nearest other point, ascending.</summary>
    public static double[] KDistances(double[][] points, int k, int seed)
    {
        var sample = Enumerable.Range(0, points.Length).ToArray();
        if (sample.Length > KneeSample)
        {
            new Random(seed).Shuffle(sample);
            sample = sample[..KneeSample];
        }
        var distances = new double[sample.Length];
        Parallel.For(0, sample.Length, s =>
        {
            var i = sample[s];
            // The k smallest distances to other points, kept in a max-heap.
            var nearest = new PriorityQueue<double, double>(k + 1, Comparer<double>.Create((a, b) => b.CompareTo(a)));
            for (var j = 0; j < points.Length; j++)
            {
                if (j == i) continue;
                var d = Points.SquaredDistance(points[i], points[j]);
                if (nearest.Count < k) nearest.Enqueue(d, d);
                else if (d < nearest.Peek()) nearest.EnqueueDequeue(d, d);
            }
            distances[s] = nearest.Count == 0 ? 0 : Math.Sqrt(nearest.Peek());
        });
        Array.Sort(distances);
        return distances;
    }

    /// <summary>
    /// The knee of an ascending curve: the point farthest below the chord from its first to its last point, with both
    /// axes scaled to 0–1 (the "kneedle" reading).
    /// </summary>
    public static double Knee(double[] ascending)
    {
        if (ascending.Length < 3 || ascending[^1] <= ascending[0]) return ascending.Length == 0 ? 0 : ascending[^1];
        var (first, span) = (ascending[0], ascending[^1] - ascending[0]);
        var (best, bestGap) = (ascending.Length - 1, double.MinValue);
        for (var i = 0; i < ascending.Length; i++)
        {
            var x = (double)i / (ascending.Length - 1);
            var gap = x - (ascending[i] - first) / span;
            if (gap > bestGap) (best, bestGap) = (i, gap);
        }
        return ascending[best];
    }

    private sealed class Grid
    {
        private readonly double[][] _points;
        private readonly double _eps;
        private readonly double _epsSquared;
        private readonly int _gridDimensions;
        private readonly Dictionary<(long, long, long), List<int>> _cells = [];

        public Grid(double[][] points, double eps)
        {
            _points = points;
            _eps = Math.Max(eps, 1e-12);
            _epsSquared = eps * eps;
            _gridDimensions = Math.Min(3, points[0].Length);
            for (var i = 0; i < points.Length; i++)
            {
                var cell = CellOf(points[i]);
                if (!_cells.TryGetValue(cell, out var members)) _cells[cell] = members = [];
                members.Add(i);
            }
        }

        /// <summary>The points within eps of point <paramref name="i"/>, itself included.</summary>
        public List<int> Within(int i)
        {
            var (x, y, z) = CellOf(_points[i]);
            var found = new List<int>();
            var (dy, dz) = (_gridDimensions > 1 ? 1 : 0, _gridDimensions > 2 ? 1 : 0);
            for (var a = x - 1; a <= x + 1; a++)
                for (var b = y - dy; b <= y + dy; b++)
                    for (var c = z - dz; c <= z + dz; c++)
                        if (_cells.TryGetValue((a, b, c), out var members))
                            foreach (var j in members)
                                if (Points.SquaredDistance(_points[i], _points[j]) <= _epsSquared) found.Add(j);
            return found;
        }

        private (long, long, long) CellOf(double[] p) => (
            (long)Math.Floor(p[0] / _eps),
            _gridDimensions > 1 ? (long)Math.Floor(p[1] / _eps) : 0,
            _gridDimensions > 2 ? (long)Math.Floor(p[2] / _eps) : 0);
    }
}
