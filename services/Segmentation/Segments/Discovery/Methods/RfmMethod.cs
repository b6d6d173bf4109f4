using Personalization.Segmentation.Segments.Discovery.Features;
using Personalization.Segmentation.Segments.Rfm;

namespace Personalization.Segmentation.Segments.Discovery.Methods;

public sealed record RfmGroupCount(string Segment, string Name, int Customers, double Share);

/// <summary>One cell of the grid: recency score against the frequency–monetary score, its group and its customers.</summary>
public sealed record RfmCell(int R, int FM, string Segment, int Customers);

public sealed record RfmReport(int Customers, IReadOnlyList<RfmGroupCount> Groups, IReadOnlyList<RfmCell>? Cells = null);

/// <summary>The RFM grid as segments: <c>rfm.champions</c>, <c>rfm.at-risk</c>, ... from the tenant's quintile scores.</summary>
public static class RfmMethod
{
    public const string Name = "rfm";

    public static DiscoveredSet Run(IReadOnlyList<CustomerFeatures> customers)
    {
        var scores = RfmScores.Score(customers.Select(c => c.Rfm).ToArray());
        var byGroup = RfmGrid.Groups.ToDictionary(g => g, _ => new List<string>());
        var inCell = new int[6, 6];
        for (var i = 0; i < customers.Count; i++)
        {
            byGroup[RfmGrid.GroupOf(scores[i])].Add(customers[i].UserKey);
            inCell[scores[i].R, scores[i].FM]++;
        }
        var segments = RfmGrid.Groups.Where(g => byGroup[g].Count > 0)
            .Select(g => new DiscoveredSegment($"{Name}.{g}", RfmGrid.Descriptions[g].Name, RfmGrid.Descriptions[g].Meaning, byGroup[g]))
            .ToList();
        var report = new RfmReport(customers.Count, RfmGrid.Groups
            .Select(g => new RfmGroupCount($"{Name}.{g}", RfmGrid.Descriptions[g].Name, byGroup[g].Count, customers.Count == 0 ? 0 : (double)byGroup[g].Count / customers.Count))
            .ToList(), Cells(inCell));
        return new DiscoveredSet(Name, customers.Count, report, segments);
    }

    /// <summary>The 25 cells, best recency first.</summary>
    private static List<RfmCell> Cells(int[,] inCell) =>
        [.. from r in Enumerable.Range(1, 5).Reverse()
            from fm in Enumerable.Range(1, 5)
            select new RfmCell(r, fm, $"{Name}.{RfmGrid.GroupOf(new RfmScore(r, fm, fm))}", inCell[r, fm])];
}
