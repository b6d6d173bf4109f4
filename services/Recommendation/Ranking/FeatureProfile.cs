using Personalization.Recommendation.Drift;

namespace Personalization.Recommendation.Ranking;

/// <summary>
/// How one of the ranker's features was spread when the model was trained: the inner edges of ten bins of equal
/// share, the count in each, and last the count of missing values (NaN), so a later sample's counts compare bin by bin.
/// </summary>
public sealed record FeatureProfile(string Feature, double[] Edges, double[] Counts)
{
    public const int Bins = 10;

    public static FeatureProfile Of(string feature, IReadOnlyCollection<float> values)
    {
        var present = values.Where(v => !float.IsNaN(v)).Select(v => (double)v).ToList();
        var edges = present.Count == 0 ? [] : PopulationStability.QuantileEdges(present, Bins);
        return new FeatureProfile(feature, edges, CountsOf(edges, values));
    }

    /// <summary>Counts of <paramref name="values"/> in this profile's bins, missing values last.</summary>
    public double[] CountsOf(IReadOnlyCollection<float> values) => CountsOf(Edges, values);

    private static double[] CountsOf(double[] edges, IReadOnlyCollection<float> values) =>
        [.. PopulationStability.Counts(values.Where(v => !float.IsNaN(v)).Select(v => (double)v), edges), values.Count(float.IsNaN)];
}
