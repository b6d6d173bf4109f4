using System.Security.Cryptography;
using System.Text;

namespace Personalization.Recommendation.Experiments;

/// <summary>
/// Where a new person falls in an experiment: a hash of tenant, experiment and person read as a point in [0, 1),
/// and the variant whose share of the weights covers it. The same person always lands on the same point, so with
/// unchanged weights any replica picks the same variant without asking another.
/// </summary>
public static class Assignment
{
    public static double PointOf(string tenantId, string experimentId, string person)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{tenantId}\n{experimentId}\n{person}"), hash);
        // 53 bits: exactly representable in a double, evenly spread over [0, 1).
        return (BitConverter.ToUInt64(hash) >> 11) / (double)(1UL << 53);
    }

    public static Variant Pick(IReadOnlyList<Variant> variants, double point)
    {
        var total = variants.Sum(v => v.Weight);
        var reached = 0.0;
        foreach (var variant in variants)
        {
            reached += variant.Weight / total;
            if (variant.Weight > 0 && point < reached) return variant;
        }
        // Rounding can leave the very top of [0, 1) uncovered: it belongs to the last variant with weight.
        return variants.Last(v => v.Weight > 0);
    }
}
