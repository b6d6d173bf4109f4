using Personalization.Segmentation.Segments.Discovery.Clustering;
using Personalization.Segmentation.Segments.Discovery.Features;

namespace Personalization.Segmentation.Segments.Discovery.Methods;

public sealed record KScore(int K, double Silhouette, double DaviesBouldin, double Inertia);

/// <param name="Plot">The customers on their first two principal components, by segment (a sample).</param>
public sealed record KMeansReport(int Customers, IReadOnlyList<string> Features, PcaSummary? Pca, IReadOnlyList<KScore> Candidates, int ChosenK,
    IReadOnlyList<PlotPoint>? Plot = null);

/// <summary>K-Means segments, <c>kmeans.1</c> to <c>kmeans.k</c>, with k the best silhouette over the range tried.</summary>
public static class KMeansMethod
{
    public const string Name = "kmeans";

    public static DiscoveredSet Run(IReadOnlyList<CustomerFeatures> customers, FeatureMatrix features, DiscoveryOptions options)
    {
        var points = features.Points;
        // Only the best fit so far is kept: a million customers' labels for every k would be memory for nothing.
        ClusterFit? best = null;
        var bestSilhouette = double.NegativeInfinity;
        var candidates = new List<KScore>();
        for (var k = options.MinClusters; k <= Math.Min(options.MaxClusters, points.Length - 1); k++)
        {
            var fit = KMeansClustering.Fit(points, k, options.Seed);
            candidates.Add(new KScore(k, ClusterQuality.Silhouette(points, fit.Labels, k, options.Seed),
                ClusterQuality.DaviesBouldin(points, fit.Labels, k), fit.Inertia(points)));
            if (candidates[^1].Silhouette > bestSilhouette) (best, bestSilhouette) = (fit, candidates[^1].Silhouette);
        }
        if (best is null) return new DiscoveredSet(Name, customers.Count, new KMeansReport(customers.Count, features.Names, features.Pca, [], 0), []);
        var chosen = best.Clusters;
        var (segments, segmentLabels) = ClusterDescriptions.Segments(Name, "K-Means", customers, features, best.Labels, chosen);
        return new DiscoveredSet(Name, customers.Count,
            new KMeansReport(customers.Count, features.Names, features.Pca, candidates, chosen, ClusterPlot.Of(Name, features, best.Labels, segmentLabels)), segments);
    }
}
