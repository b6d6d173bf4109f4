using Personalization.Recommendation.Evaluation;

namespace Personalization.Recommendation.Tests.Evaluation;

public class RankingMetricsTests
{
    [Test]
    public void Metrics_match_hand_computed_values()
    {
        // Ranks 2 and 4 of 5 hit; 3 relevant items, one of them (9) not recommended.
        var m = RankingMetrics.ForUser([1, 2, 3, 4, 5], new HashSet<int> { 2, 4, 9 }, 5);
        var dcg = 1 / Math.Log2(3) + 1 / Math.Log2(5);
        var idcg = 1 + 1 / Math.Log2(3) + 1 / Math.Log2(4);
        Assert.Multiple(() =>
        {
            Assert.That(m.Precision, Is.EqualTo(0.4).Within(1e-12));
            Assert.That(m.Recall, Is.EqualTo(2.0 / 3).Within(1e-12));
            Assert.That(m.Ndcg, Is.EqualTo(dcg / idcg).Within(1e-12));
            Assert.That(m.Ndcg, Is.EqualTo(0.498189).Within(1e-6));
            Assert.That(m.AveragePrecision, Is.EqualTo((1.0 / 2 + 2.0 / 4) / 3).Within(1e-12), "MAP divides by the number of relevant items");
        });
    }

    [Test]
    public void Precision_divides_by_k_even_when_fewer_items_are_recommended()
    {
        var m = RankingMetrics.ForUser([7], new HashSet<int> { 7 }, 10);
        Assert.That(m.Precision, Is.EqualTo(0.1).Within(1e-12));
        Assert.That(m.Recall, Is.EqualTo(1.0));
        Assert.That(m.Ndcg, Is.EqualTo(1.0));
        Assert.That(m.AveragePrecision, Is.EqualTo(1.0));
    }

    [Test]
    public void Ideal_dcg_counts_at_most_k_relevant_items()
    {
        // 4 relevant, k = 2, both recommended items relevant: a perfect list at k.
        var m = RankingMetrics.ForUser([1, 2], new HashSet<int> { 1, 2, 3, 4 }, 2);
        Assert.That(m.Ndcg, Is.EqualTo(1.0).Within(1e-12));
        Assert.That(m.AveragePrecision, Is.EqualTo(0.5).Within(1e-12), "(1/1 + 2/2) / 4");
        Assert.That(m.Recall, Is.EqualTo(0.5));
    }

    [Test]
    public void A_miss_scores_zero_everywhere()
    {
        var m = RankingMetrics.ForUser([1, 2, 3], new HashSet<int> { 4 }, 3);
        Assert.That(m, Is.EqualTo(new UserMetrics(0, 0, 0, 0)));
    }

    [Test]
    public void Hits_lower_in_the_list_score_less()
    {
        var early = RankingMetrics.ForUser([1, 2, 3], new HashSet<int> { 1 }, 3);
        var late = RankingMetrics.ForUser([3, 2, 1], new HashSet<int> { 1 }, 3);
        Assert.That(late.Ndcg, Is.EqualTo(0.5).Within(1e-12), "1 / log2(4)");
        Assert.That(late.AveragePrecision, Is.EqualTo(1.0 / 3).Within(1e-12));
        Assert.That(early.Precision, Is.EqualTo(late.Precision));
    }

    [Test]
    public void Catalogue_coverage_is_distinct_recommended_items_over_catalogue_size()
    {
        Assert.That(RankingMetrics.CatalogueCoverage([[1, 2], [2, 3], []], 10), Is.EqualTo(0.3).Within(1e-12));
    }
}
