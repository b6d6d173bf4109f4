using System.Globalization;
using Personalization.Segmentation.Segments.Discovery.Features;
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
                output.WriteLine(Invariant($"Features: {string.Join(", ", kmeans.Features)}{Projection(kmeans.Pca)}; k = {kmeans.ChosenK} has the best silhouette.\n"));
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
            case PredictiveReport predictive:
                output.WriteLine(Invariant($"LightGBM on {string.Join(", ", predictive.Features)}; {predictive.Customers} customers scored.\n"));
                output.WriteLine("| segment | trained at | tested at | train (positive) | test (positive) | AUC | Brier | ECE | threshold | precision | recall | members |\n|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
                foreach (var t in predictive.Targets)
                    output.WriteLine(t.Skipped is { } why
                        ? Invariant($"| `{t.Segment}` | {t.TrainedAt:yyyy-MM-dd} | {t.TestedAt:yyyy-MM-dd} | {t.TrainExamples} | {t.TestExamples} | skipped: {why} | | | | | | |")
                        : Invariant($"| `{t.Segment}` | {t.TrainedAt:yyyy-MM-dd} | {t.TestedAt:yyyy-MM-dd} | {t.TrainExamples} ({t.TrainPositiveRate:P1}) | {t.TestExamples} ({t.TestPositiveRate:P1}) | {t.Auc:F3} | {t.Calibration.Brier:F3} | {t.Calibration.ExpectedCalibrationError:F3} | {t.Threshold:0.##} | {t.TestPrecision:P1} | {t.TestRecall:P1} | {t.Members} |"));
                foreach (var t in predictive.Targets.Where(t => t.Skipped is null))
                {
                    output.WriteLine(Invariant($"\nCalibration of `{t.Segment}` on the test window:\n\n| predicted | customers | mean predicted | observed |\n|---|---:|---:|---:|"));
                    foreach (var b in t.Calibration.Bins) output.WriteLine(Invariant($"| {b.From:0.0}–{b.To:0.0} | {b.Count} | {b.MeanPredicted:F3} | {b.Observed:F3} |"));
                }
                break;
        }
        if (set.Validation is { } validation)
        {
            output.WriteLine(Invariant($"\nValidation: assigned as of {validation.AssignedAt:yyyy-MM-dd}, conversion (an order) up to {validation.Until:yyyy-MM-dd}; chi-square {validation.ChiSquare.Statistic:F1} on {validation.ChiSquare.DegreesOfFreedom} df, p = {validation.ChiSquare.PValue:G3}.\n"));
            output.WriteLine("| segment | customers | converted | rate |\n|---|---:|---:|---:|");
            foreach (var c in validation.Segments) output.WriteLine(Invariant($"| `{c.Segment}` | {c.Customers} | {c.Converted} | {c.Rate:P1} |"));
            var different = validation.Pairwise.Count(p => p.HolmPValue < 0.05);
            output.WriteLine(Invariant($"\n{different} of {validation.Pairwise.Count} pairs of segments convert differently (two-proportion z-test, Holm-adjusted p < 0.05)."));
        }
        output.WriteLine();
        output.WriteLine("| segment | members | name | description |\n|---|---:|---|---|");
        foreach (var s in set.Segments) output.WriteLine(Invariant($"| `{s.Id}` | {s.Members.Count} | {s.Name} | {s.Description} |"));
        output.WriteLine();
    }

    private static string Projection(PcaSummary? pca) =>
        pca is null ? "" : Invariant($" (as {pca.Components} principal components, keeping {pca.ExplainedVariance:P0} of the variance)");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
