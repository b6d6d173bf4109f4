using Personalization.Recommendation.Candidates;
using Personalization.Recommendation.Interactions;

namespace Personalization.Recommendation.Tests.Candidates;

public class PopularityTests
{
    [Test]
    public void Popularity_ranks_items_by_weighted_count()
    {
        // Item 0: three light interactions (3). Item 1: one heavy purchase (5). Item 2: two medium (4).
        var matrix = InteractionMatrix.FromEntries(4, 4, [(0, 0, 1), (1, 0, 1), (2, 0, 1), (3, 1, 5), (0, 2, 2), (1, 2, 2)]);
        var popularity = new Popularity();
        popularity.Fit(TrainingData.Of(matrix));

        var top = popularity.Recommend(Person.Of(matrix, 3), 10, []);
        Assert.That(top.Select(s => s.Item), Is.EqualTo(new[] { 1, 2, 0 }), "item 3 has no interactions and is never proposed");
        Assert.That(top.Select(s => s.Score), Is.EqualTo(new[] { 5f, 4f, 3f }));
    }

    [Test]
    public void Excluded_items_are_skipped_and_k_bounds_the_list()
    {
        var matrix = InteractionMatrix.FromEntries(1, 4, [(0, 0, 4), (0, 1, 3), (0, 2, 2), (0, 3, 1)]);
        var popularity = new Popularity();
        popularity.Fit(TrainingData.Of(matrix));
        Assert.That(popularity.Recommend(Person.Of(matrix, 0), 2, [0]).Select(s => s.Item), Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public void Context_popularity_prefers_what_is_popular_in_the_users_country_then_fills_from_overall()
    {
        // Users 0-2 in the UK buy item 0; users 3-4 in France buy item 1; user 5 in France also buys item 2.
        var matrix = InteractionMatrix.FromEntries(6, 3,
            [(0, 0, 1), (1, 0, 1), (2, 0, 1), (3, 1, 1), (4, 1, 1), (5, 2, 1)],
            userContexts: ["UK", "UK", "UK", "FR", "FR", "FR"]);
        var byContext = new ContextPopularity();
        byContext.Fit(TrainingData.Of(matrix));

        Assert.Multiple(() =>
        {
            Assert.That(byContext.Recommend(Person.Of(matrix, 3), 3, []).Select(s => s.Item), Is.EqualTo(new[] { 1, 2, 0 }));
            Assert.That(byContext.Recommend(Person.Of(matrix, 0), 3, []).Select(s => s.Item), Is.EqualTo(new[] { 0, 1, 2 }));
            Assert.That(byContext.RecommendFor("FR", 1, []).Single().Item, Is.EqualTo(1), "a new user known only by country");
            Assert.That(byContext.RecommendFor("JP", 2, []).Select(s => s.Item), Is.EqualTo(new[] { 0, 1 }), "an unknown country gets overall popularity");
            var scores = byContext.Recommend(Person.Of(matrix, 3), 3, []).Select(s => s.Score).ToArray();
            Assert.That(scores, Is.Ordered.Descending);
        });
    }
}
