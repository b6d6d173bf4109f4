using System.Globalization;
using Personalization.Segmentation.Segments.Discovery.Clustering;
using Personalization.Segmentation.Segments.Discovery.Features;

namespace Personalization.Segmentation.Segments.Discovery;

/// <summary>
/// Turns clusters into segments people can read: numbered by median spend (1 spends most), named after the features
/// that set each apart from the mean (by at least <see cref="Notable"/> standard deviations), described by the
/// medians of every feature against everyone's.
/// </summary>
public static class ClusterDescriptions
{
    public const double Notable = 0.3;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <param name="labels">Each customer's cluster, −1 for noise (which becomes <c>method.noise</c>).</param>
    /// <returns>The segments, and for each (but noise) the cluster label it stands for.</returns>
    public static (IReadOnlyList<DiscoveredSegment> Segments, int[] Labels) Segments(string method, string title, IReadOnlyList<CustomerFeatures> customers,
        FeatureMatrix features, int[] labels, int clusters)
    {
        var (columns, standardised) = (features.Columns, features.Standardised);
        var members = Enumerable.Range(0, clusters).Select(_ => new List<int>()).ToArray();
        var noise = new List<int>();
        for (var i = 0; i < labels.Length; i++) (labels[i] >= 0 ? members[labels[i]] : noise).Add(i);
        var order = Enumerable.Range(0, clusters).Where(c => members[c].Count > 0)
            .OrderByDescending(c => Median(members[c].Select(i => customers[i].Rfm.Monetary))).ToArray();
        var overall = columns.Select(c => Median(customers.Select(c.Read))).ToArray();

        var segments = order.Select((label, rank) =>
        {
            var group = members[label];
            var lean = columns.Select((c, j) => (Column: c, Index: j, Z: group.Average(i => standardised[i][j])))
                .OrderByDescending(x => Math.Abs(x.Z)).ToList();
            var traits = lean.Where(x => Math.Abs(x.Z) >= Notable).Take(2).Select(x => x.Z > 0 ? x.Column.High : x.Column.Low).ToList();
            var name = $"{title} {rank + 1}: {(traits.Count > 0 ? string.Join(", ", traits) : "average")}";
            var medians = lean.Select(x =>
                $"{Format(Median(group.Select(i => x.Column.Read(customers[i]))))} {x.Column.Unit} (all: {Format(overall[x.Index])}, {Deviations(x.Z)} sd)");
            var description = $"{group.Count} customers ({(double)group.Count / customers.Count:P1}). Medians: {string.Join("; ", medians)}.";
            return new DiscoveredSegment($"{method}.{rank + 1}", name, description, group.Select(i => customers[i].UserKey).ToList());
        }).ToList();
        if (noise.Count > 0)
            segments.Add(new DiscoveredSegment($"{method}.noise", $"{title} noise",
                $"{noise.Count} customers ({(double)noise.Count / customers.Count:P1}) in no dense region: unusual combinations of the features.",
                noise.Select(i => customers[i].UserKey).ToList()));
        return (segments, order);
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return 0;
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Deviations(double z) => Math.Round(z, 1) is var rounded && rounded == 0 ? "±0.0" : rounded.ToString("+0.0;-0.0", Invariant);

    private static string Format(double value) => value.ToString(Math.Abs(value) >= 100 ? "N0" : "0.#", Invariant);
}
