using Personalization.Segmentation.Segments.Discovery.Features;
using Personalization.Segmentation.Segments.Discovery.Statistics;

namespace Personalization.Segmentation.Segments.Discovery;

/// <summary>One segment's customers at assignment and how many of them ordered in the period after.</summary>
public sealed record SegmentConversion(string Segment, string Name, int Customers, int Converted, double Rate);

/// <summary>
/// Whether a segment set tells buyers apart: the set as the method assigned it at <see cref="AssignedAt"/>, each
/// segment's conversion (an order) up to <see cref="Until"/>, a chi-square test of independence between segment and
/// conversion, and every pair of segments compared by a two-proportion test (Holm-adjusted).
/// </summary>
public sealed record ValidationReport(DateTimeOffset AssignedAt, DateTimeOffset Until, IReadOnlyList<SegmentConversion> Segments,
    ChiSquareTest ChiSquare, IReadOnlyList<ProportionTest> Pairwise);

public static class SegmentValidation
{
    /// <summary>How long after assignment conversion is counted.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromDays(30);

    public static ValidationReport Of(DiscoveredSet assigned, IReadOnlyDictionary<string, CustomerHistory> people, DateTimeOffset at, DateTimeOffset until)
    {
        var conversions = assigned.Segments.Select(s =>
        {
            var converted = s.Members.Count(m => people[m].OrderedBetween(at, until));
            return new SegmentConversion(s.Id, s.Name, s.Members.Count, converted, s.Members.Count == 0 ? 0 : (double)converted / s.Members.Count);
        }).ToList();
        return new ValidationReport(at, until, conversions,
            Independence.ChiSquare(conversions.Select(c => (c.Converted, c.Customers)).ToList()),
            Independence.Pairwise(conversions.Select(c => (c.Segment, c.Converted, c.Customers)).ToList()));
    }
}
