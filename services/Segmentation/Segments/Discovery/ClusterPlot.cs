using Personalization.Segmentation.Segments.Discovery.Features;

namespace Personalization.Segmentation.Segments.Discovery;

/// <summary>A customer as the console plots a clustering: the first two principal components of their features, and their segment.</summary>
public sealed record PlotPoint(double X, double Y, string Segment);

/// <summary>
/// A 2-D picture of a clustering: every customer's standardised features projected onto their first two principal
/// components, thinned evenly to at most <see cref="MaxPoints"/> so a report stays small whatever the tenant's size.
/// </summary>
public static class ClusterPlot
{
    public const int MaxPoints = 600;

    /// <param name="labels">Each customer's cluster (−1 for noise).</param>
    /// <param name="segmentLabels">For each segment in order (<c>method.1</c>, ...), the cluster label it stands for.</param>
    public static IReadOnlyList<PlotPoint> Of(string method, FeatureMatrix features, int[] labels, int[] segmentLabels)
    {
        var rows = features.Standardised;
        if (rows.Length == 0 || rows[0].Length < 2) return [];
        var (points, _) = PrincipalComponents.Project(rows, keptVariance: 0);
        var segmentOf = segmentLabels.Select((label, rank) => (label, rank)).ToDictionary(x => x.label, x => $"{method}.{x.rank + 1}");
        var step = Math.Max(1, (rows.Length + MaxPoints - 1) / MaxPoints);
        var plot = new List<PlotPoint>();
        for (var i = 0; i < rows.Length; i += step)
            plot.Add(new PlotPoint(Math.Round(points[i][0], 3), Math.Round(points[i][1], 3), segmentOf.GetValueOrDefault(labels[i], $"{method}.noise")));
        return plot;
    }
}
