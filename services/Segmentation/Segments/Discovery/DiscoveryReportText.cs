using System.Globalization;
using Personalization.Segmentation.Segments.Discovery.Methods;

namespace Personalization.Segmentation.Segments.Discovery;

/// <summary>A run's outcome as Markdown, as the <c>discover-segments</c> verb prints it (and the README quotes it).</summary>
public static class DiscoveryReportText
{
    public static void Write(TextWriter output, DiscoveryOutcome outcome)
    {
        var set = outcome.Set;
        output.WriteLine(Invariant($"### {set.Method} (run {outcome.Run}, {outcome.Took.TotalSeconds:F1} s; {outcome.Entered} entered, {outcome.Exited} left)"));
        output.WriteLine();
        switch (set.Report)
        {
            case RfmReport rfm:
                output.WriteLine("| segment | customers | share |\n|---|---:|---:|");
                foreach (var g in rfm.Groups) output.WriteLine(Invariant($"| {g.Name} | {g.Customers} | {g.Share:P1} |"));
                break;
            case KMeansReport kmeans:
                output.WriteLine(Invariant($"Features: {string.Join(", ", kmeans.Features)}; k = {kmeans.ChosenK} has the best silhouette.\n"));
                output.WriteLine("| k | silhouette | Davies–Bouldin | inertia |\n|---:|---:|---:|---:|");
                foreach (var k in kmeans.Candidates) output.WriteLine(Invariant($"| {k.K} | {k.Silhouette:F3} | {k.DaviesBouldin:F3} | {k.Inertia:F0} |"));
                break;
            case DbscanReport dbscan:
                output.WriteLine(Invariant($"eps {dbscan.Eps:F3} (k-distance knee), minPoints {dbscan.MinPoints}: {dbscan.Clusters} clusters of {string.Join(", ", dbscan.Sizes)}; noise {dbscan.NoiseShare:P1}."));
                break;
            case MixtureReport mixture:
                output.WriteLine(Invariant($"{mixture.ChosenComponents} components have the lowest BIC; weights {string.Join(", ", mixture.Weights.Select(w => w.ToString("F3", CultureInfo.InvariantCulture)))}.\n"));
                output.WriteLine("| components | BIC | log-likelihood | iterations |\n|---:|---:|---:|---:|");
                foreach (var c in mixture.Candidates) output.WriteLine(Invariant($"| {c.Components} | {c.Bic:F0} | {c.LogLikelihood:F0} | {c.Iterations}{(c.Converged ? "" : " (not converged)")} |"));
                break;
        }
        output.WriteLine();
        output.WriteLine("| segment | members | name | description |\n|---|---:|---|---|");
        foreach (var s in set.Segments) output.WriteLine(Invariant($"| `{s.Id}` | {s.Members.Count} | {s.Name} | {s.Description} |"));
        output.WriteLine();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
