// Precision, recall, NDCG (Järvelin & Kekäläinen 2002), MAP and catalogue coverage at k, as in Microsoft Recommenders. O(k) per user.
namespace Personalization.Recommendation.Evaluation;

/// <summary>One user's ranking quality at k; the definitions are in services/Recommendation/README.md.</summary>
public readonly record struct UserMetrics(double Precision, double Recall, double Ndcg, double AveragePrecision);

/// <summary>
/// Ranking metrics with binary relevance, as Microsoft Recommenders' python_evaluation computes them, so the numbers
/// compare with its published tables. For a list of at most k items and R relevant items (R &gt; 0), with
/// hit_i = 1 when the item at rank i is relevant: precision = Σ hit_i / k; recall = Σ hit_i / R;
/// NDCG = Σ hit_i / log2(i + 1) divided by Σ_{i ≤ min(R, k)} 1 / log2(i + 1); AP = (1/R) Σ_i hit_i · precision@i.
/// O(k) per user.
/// </summary>
public static class RankingMetrics
{
    public static UserMetrics ForUser(ReadOnlySpan<int> recommended, IReadOnlySet<int> relevant, int k)
    {
        if (relevant.Count == 0) throw new ArgumentException("a user needs at least one relevant item", nameof(relevant));
        var hits = 0;
        double dcg = 0, precisionSum = 0;
        var length = Math.Min(k, recommended.Length);
        for (var rank = 1; rank <= length; rank++)
        {
            if (!relevant.Contains(recommended[rank - 1])) continue;
            hits++;
            dcg += 1 / Math.Log2(rank + 1);
            precisionSum += (double)hits / rank;
        }
        double idcg = 0;
        for (var rank = 1; rank <= Math.Min(relevant.Count, k); rank++) idcg += 1 / Math.Log2(rank + 1);
        return new UserMetrics((double)hits / k, (double)hits / relevant.Count, dcg / idcg, precisionSum / relevant.Count);
    }

    /// <summary>Distinct items recommended to anyone, over the number of items in the training catalogue.</summary>
    public static double CatalogueCoverage(IEnumerable<int[]> recommendations, int catalogueSize) =>
        catalogueSize == 0 ? 0 : (double)recommendations.SelectMany(r => r).Distinct().Count() / catalogueSize;
}
