using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Personalization.Segmentation.Segments.Discovery.Clustering;

/// <summary>A partition of points: each point's cluster (−1 for noise, where the method has it) and each cluster's centre.</summary>
public sealed record ClusterFit(int[] Labels, double[][] Centres)
{
    public int Clusters => Centres.Length;

    /// <summary>The sum of squared distances of points to their centre (noise left out).</summary>
    public double Inertia(double[][] points)
    {
        var sum = 0.0;
        for (var i = 0; i < points.Length; i++)
            if (Labels[i] >= 0) sum += Points.SquaredDistance(points[i], Centres[Labels[i]]);
        return sum;
    }
}

/// <summary>
/// K-Means by ML.NET's trainer, run from several starts keeping the tightest fit, as scikit-learn's <c>n_init</c>
/// does; each point goes to its nearest centre.
/// </summary>
public static class KMeansClustering
{
    private sealed class Row
    {
        public float[] Features { get; set; } = [];
    }

    /// <summary>Ten starts (scikit-learn's classic <c>n_init</c>) up to 100,000 points, where a start costs little; three above.</summary>
    public static int DefaultRestarts(int points) => points <= 100_000 ? 10 : 3;

    public static ClusterFit Fit(double[][] points, int k, int seed, int? restarts = null)
    {
        // One context for all starts: its random source moves on, so each start differs and the whole is repeatable.
        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, points[0].Length);
        var rows = Array.ConvertAll(points, p => new Row { Features = Array.ConvertAll(p, x => (float)x) });
        var data = ml.Data.Cache(ml.Data.LoadFromEnumerable(rows, schema));
        ClusterFit? best = null;
        var bestInertia = double.MaxValue;
        for (var r = 0; r < (restarts ?? DefaultRestarts(points.Length)); r++)
        {
            var fit = FitOnce(ml, data, points, k);
            if (fit.Inertia(points) is var inertia && inertia < bestInertia) (best, bestInertia) = (fit, inertia);
        }
        return best!;
    }

    private static ClusterFit FitOnce(MLContext ml, IDataView data, double[][] points, int k)
    {
        var model = ml.Clustering.Trainers.KMeans(new KMeansTrainer.Options
        {
            NumberOfClusters = k,
            // k-means|| starts (ML.NET's default) with Yinyang-accelerated iterations.
            InitializationAlgorithm = KMeansTrainer.InitializationAlgorithm.KMeansYinyang,
            MaximumNumberOfIterations = 300,
            OptimizationTolerance = 1e-4f,
        }).Fit(data);

        VBuffer<float>[] centroids = [];
        model.Model.GetClusterCentroids(ref centroids, out _);
        var centres = centroids.Select(c => c.DenseValues().Select(x => (double)x).ToArray()).ToArray();
        var labels = new int[points.Length];
        Parallel.For(0, points.Length, i => labels[i] = Points.Nearest(points[i], centres));
        // Centres as the means of the points given to them, so metrics see the partition itself.
        return new ClusterFit(labels, Points.Means(points, labels, k));
    }
}
