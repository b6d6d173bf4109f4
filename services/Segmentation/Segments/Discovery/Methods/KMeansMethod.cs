using Personalization.Segmentation.Segments.Discovery.Clustering;
using Personalization.Segmentation.Segments.Discovery.Features;

namespace Personalization.Segmentation.Segments.Discovery.Methods;

public sealed record KScore(int K, double Silhouette, double DaviesBouldin, double Inertia);

public sealed record KMeansReport(int Customers, IReadOnlyList<string> Features, IReadOnlyList<KScore> Candidates, int ChosenK);

/// <summary>K-Means segments, <c>kmeans.1</c> to <c>kmeans.k</c>, with k the best silhouette over the range tried.</summary>
public static class KMeansMethod
{
    public const string Name = "kmeans";

    public static DiscoveredSet Run(IReadOnlyList<CustomerFeatures> customers, double[][] points, IReadOnlyList<FeatureColumn> columns, DiscoveryOptions options)
    {
        var fits = new Dictionary<int, ClusterFit>();
        var candidates = new List<KScore>();
        for (var k = options.MinClusters; k <= Math.Min(options.MaxClusters, points.Length - 1); k++)
        {
            var fit = fits[k] = KMeansClustering.Fit(points, k, options.Seed);
            candidates.Add(new KScore(k, ClusterQuality.Silhouette(points, fit.Labels, k, options.Seed),
                ClusterQuality.DaviesBouldin(points, fit.Labels, k), fit.Inertia(points)));
        }
        if (candidates.Count == 0) return new DiscoveredSet(Name, customers.Count, new KMeansReport(customers.Count, columns.Select(c => c.Name).ToList(), [], 0), []);
        var chosen = candidates.MaxBy(c => c.Silhouette)!.K;
        var (segments, _) = ClusterDescriptions.Segments(Name, "K-Means", customers, points, columns, fits[chosen].Labels, chosen);
        return new DiscoveredSet(Name, customers.Count, new KMeansReport(customers.Count, columns.Select(c => c.Name).ToList(), candidates, chosen), segments);
    }
}
