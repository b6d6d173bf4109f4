namespace Personalization.Segmentation.Segments.Discovery.Statistics;

/// <summary>One bin of a reliability table: how many predictions fell in it, their mean, and how often the event happened.</summary>
public sealed record CalibrationBin(double From, double To, int Count, double MeanPredicted, double Observed);

/// <summary>How well predicted probabilities match what happened: Brier score, expected calibration error and the bins.</summary>
public sealed record CalibrationReport(double Brier, double ExpectedCalibrationError, IReadOnlyList<CalibrationBin> Bins);

/// <summary>Measures of a probabilistic classifier on labelled examples it was not trained on.</summary>
public static class Classification
{
    /// <summary>
    /// The area under the ROC curve: the chance a random positive scores above a random negative (ties count half),
    /// from the rank sum (Mann–Whitney U) with mid-ranks. NaN without both classes.
    /// </summary>
    public static double Auc(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double positives = labels.Count(l => l), negatives = labels.Count - positives, rankSum = 0;
        if (positives == 0 || negatives == 0) return double.NaN;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]]) end++;
            var midRank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++) if (labels[order[k]]) rankSum += midRank;
            start = end + 1;
        }
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }

    /// <summary>The reliability table in <paramref name="bins"/> equal-width bins of predicted probability, the Brier score and the ECE.</summary>
    public static CalibrationReport Calibration(IReadOnlyList<double> probabilities, IReadOnlyList<bool> labels, int bins = 10)
    {
        var counts = new int[bins];
        var predicted = new double[bins];
        var observed = new double[bins];
        var brier = 0.0;
        for (var i = 0; i < probabilities.Count; i++)
        {
            var p = Math.Clamp(probabilities[i], 0, 1);
            var y = labels[i] ? 1.0 : 0.0;
            brier += (p - y) * (p - y);
            var bin = Math.Min(bins - 1, (int)(p * bins));
            counts[bin]++;
            predicted[bin] += p;
            observed[bin] += y;
        }
        var n = Math.Max(1, probabilities.Count);
        var table = Enumerable.Range(0, bins).Where(b => counts[b] > 0)
            .Select(b => new CalibrationBin((double)b / bins, (double)(b + 1) / bins, counts[b], predicted[b] / counts[b], observed[b] / counts[b]))
            .ToList();
        var ece = table.Sum(b => b.Count * Math.Abs(b.MeanPredicted - b.Observed)) / n;
        return new CalibrationReport(brier / n, ece, table);
    }
}
