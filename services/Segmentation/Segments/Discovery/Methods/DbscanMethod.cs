using Personalization.Segmentation.Segments.Discovery.Clustering;
using Personalization.Segmentation.Segments.Discovery.Features;

namespace Personalization.Segmentation.Segments.Discovery.Methods;

public sealed record DbscanReport(int Customers, IReadOnlyList<string> Features, PcaSummary? Pca, double Eps, int MinPoints, int Clusters, IReadOnlyList<int> Sizes, double NoiseShare);

/// <summary>DBSCAN segments, <c>dbscan.1</c>, ... and <c>dbscan.noise</c> for those in no dense region.</summary>
public static class DbscanMethod
{
    public const string Name = "dbscan";

    public static DiscoveredSet Run(IReadOnlyList<CustomerFeatures> customers, FeatureMatrix features, DiscoveryOptions options)
    {
        var result = Dbscan.Fit(features.Points, options.Seed, options.MinPoints);
        var (segments, _) = ClusterDescriptions.Segments(Name, "DBSCAN", customers, features, result.Fit.Labels, result.Fit.Clusters);
        var sizes = segments.Where(s => !s.Id.EndsWith(".noise", StringComparison.Ordinal)).Select(s => s.Members.Count).ToList();
        return new DiscoveredSet(Name, customers.Count, new DbscanReport(customers.Count, features.Names, features.Pca, result.Eps, result.MinPoints, sizes.Count, sizes, result.NoiseShare), segments);
    }
}
