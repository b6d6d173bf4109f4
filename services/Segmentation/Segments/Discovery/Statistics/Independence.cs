namespace Personalization.Segmentation.Segments.Discovery.Statistics;

/// <summary>A chi-square test of independence: the statistic, its degrees of freedom and the p-value.</summary>
public sealed record ChiSquareTest(double Statistic, int DegreesOfFreedom, double PValue);

/// <summary>A pooled two-proportion z-test between two groups, with its p-value before and after Holm's correction for the family.</summary>
public sealed record ProportionTest(string A, string B, double RateA, double RateB, double Z, double PValue, double HolmPValue);

/// <summary>Whether conversion depends on the segment: a chi-square test over the segments, and every pair of segments compared.</summary>
public static class Independence
{
    /// <summary>Pearson's chi-square over a segments × (converted, not) table; segments with nobody are left out.</summary>
    public static ChiSquareTest ChiSquare(IReadOnlyList<(int Converted, int Total)> groups)
    {
        var rows = groups.Where(g => g.Total > 0).ToList();
        double converted = rows.Sum(r => r.Converted), total = rows.Sum(r => r.Total);
        if (rows.Count < 2 || converted == 0 || converted == total) return new ChiSquareTest(0, Math.Max(0, rows.Count - 1), 1);
        var statistic = 0.0;
        foreach (var (c, n) in rows)
        {
            double expectedYes = n * converted / total, expectedNo = n - expectedYes;
            statistic += (c - expectedYes) * (c - expectedYes) / expectedYes + (n - c - expectedNo) * (n - c - expectedNo) / expectedNo;
        }
        var degrees = rows.Count - 1;
        return new ChiSquareTest(statistic, degrees, Gamma.ChiSquareTail(statistic, degrees));
    }

    /// <summary>Every pair of named groups compared by a pooled two-proportion z-test, p-values adjusted by Holm's step-down method.</summary>
    public static IReadOnlyList<ProportionTest> Pairwise(IReadOnlyList<(string Name, int Converted, int Total)> groups)
    {
        var tests = new List<ProportionTest>();
        var present = groups.Where(g => g.Total > 0).ToList();
        for (var i = 0; i < present.Count; i++)
            for (var j = i + 1; j < present.Count; j++)
            {
                var (a, b) = (present[i], present[j]);
                double p1 = (double)a.Converted / a.Total, p2 = (double)b.Converted / b.Total;
                var pooled = (double)(a.Converted + b.Converted) / (a.Total + b.Total);
                var error = Math.Sqrt(pooled * (1 - pooled) * (1.0 / a.Total + 1.0 / b.Total));
                var z = error > 0 ? (p1 - p2) / error : 0;
                tests.Add(new ProportionTest(a.Name, b.Name, p1, p2, z, Gamma.NormalTwoSided(z), 0));
            }
        // Holm: the k-th smallest of m p-values is multiplied by (m − k + 1), kept monotone and at most 1.
        var ordered = tests.Select((t, i) => (t, i)).OrderBy(x => x.t.PValue).ToList();
        var running = 0.0;
        for (var k = 0; k < ordered.Count; k++)
        {
            running = Math.Max(running, Math.Min(1, ordered[k].t.PValue * (ordered.Count - k)));
            tests[ordered[k].i] = ordered[k].t with { HolmPValue = running };
        }
        return tests;
    }
}
