using Personalization.Segmentation.Segments.Discovery.Clustering;
using Personalization.Segmentation.Segments.Discovery.Features;

namespace Personalization.Segmentation.Segments.Discovery.Methods;

public sealed record BicScore(int Components, double Bic, double LogLikelihood, int Iterations, bool Converged);

public sealed record MixtureReport(int Customers, IReadOnlyList<string> Features, PcaSummary? Pca, IReadOnlyList<BicScore> Candidates, int ChosenComponents, IReadOnlyList<double> Weights);

/// <summary>
/// Gaussian-mixture segments, <c>gmm.1</c>, ...: the number of components with the lowest BIC; each customer is a
/// member of their most likely component and keeps their probability for every component.
/// </summary>
public static class MixtureMethod
{
    public const string Name = "gmm";

    public static DiscoveredSet Run(IReadOnlyList<CustomerFeatures> customers, FeatureMatrix features, DiscoveryOptions options)
    {
        var points = features.Points;
        // Only the best fit so far is kept, with its memberships (customers × components).
        MixtureFit? best = null;
        var candidates = new List<BicScore>();
        for (var k = 1; k <= Math.Min(options.MaxComponents, points.Length - 1); k++)
        {
            var fit = GaussianMixture.Fit(points, k, options.Seed);
            candidates.Add(new BicScore(fit.Components, fit.Bic, fit.LogLikelihood, fit.Iterations, fit.Converged));
            if (best is null || fit.Bic < best.Bic) best = fit;
        }
        if (best is null) return new DiscoveredSet(Name, customers.Count, new MixtureReport(customers.Count, features.Names, features.Pca, [], 0, []), []);
        var (segments, labels) = ClusterDescriptions.Segments(Name, "Mixture", customers, features, best.Hard().Labels, best.Components);
        var soft = customers.Select((c, i) => new SoftMembership(c.UserKey, labels.Select(l => best.Memberships[i][l]).ToArray())).ToList();
        return new DiscoveredSet(Name, customers.Count, new MixtureReport(customers.Count, features.Names, features.Pca, candidates, best.Components, labels.Select(l => best.Weights[l]).ToList()), segments)
        {
            Soft = soft,
        };
    }
}
