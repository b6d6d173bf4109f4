namespace Personalization.Segmentation.Segments.Rfm;

/// <summary>A customer's recency (days since their last order), frequency (distinct orders) and monetary value.</summary>
public readonly record struct RfmValues(double RecencyDays, int Frequency, double Monetary);

/// <summary>Quintile scores, 1 (worst) to 5 (best): a recent, frequent, big-spending customer scores 5, 5, 5.</summary>
public readonly record struct RfmScore(int R, int F, int M)
{
    /// <summary>Frequency and monetary value together, as RFM grids read them: their mean, halves rounded up.</summary>
    public int FM => (F + M + 1) / 2;
}

/// <summary>
/// RFM quintile scoring (Hughes 1994) within one tenant's customers, O(n log n). Scores come from each value's mid-rank,
/// so equal values always share a score (many customers with one order all get the same F) and the scores spread
/// over the quintiles as evenly as the ties allow.
/// </summary>
public static class RfmScores
{
    public static RfmScore[] Score(ReadOnlySpan<RfmValues> customers)
    {
        var n = customers.Length;
        var recency = new double[n];
        var frequency = new double[n];
        var monetary = new double[n];
        for (var i = 0; i < n; i++)
        {
            // Fewer days since the last order is better, so recency is ranked on its negation.
            recency[i] = -customers[i].RecencyDays;
            frequency[i] = customers[i].Frequency;
            monetary[i] = customers[i].Monetary;
        }
        var (r, f, m) = (Quintiles(recency), Quintiles(frequency), Quintiles(monetary));
        var scores = new RfmScore[n];
        for (var i = 0; i < n; i++) scores[i] = new RfmScore(r[i], f[i], m[i]);
        return scores;
    }

    /// <summary>1 to 5 by mid-rank: the lowest fifth of values scores 1, the highest 5.</summary>
    public static int[] Quintiles(double[] values)
    {
        var n = values.Length;
        var order = new int[n];
        for (var i = 0; i < n; i++) order[i] = i;
        Array.Sort(values.ToArray(), order);
        var scores = new int[n];
        for (var start = 0; start < n;)
        {
            var end = start;
            while (end + 1 < n && values[order[end + 1]] == values[order[start]]) end++;
            var midRank = (start + end) / 2.0;
            var score = 1 + (int)Math.Floor(5 * midRank / n);
            for (var k = start; k <= end; k++) scores[order[k]] = score;
            start = end + 1;
        }
        return scores;
    }
}
