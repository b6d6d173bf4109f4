using Personalization.Recommendation.Candidates;
using Personalization.Recommendation.Interactions;

namespace Personalization.Recommendation.Tests.Candidates;

public class UserUserCfTests
{
    [Test]
    public void User_user_recommends_what_similar_users_have()
    {
        // Users 0-4 share items 0-3 and all have item 4; user 5 has items 0-3 only. Users 6-9 share items 5-8 and
        // bought item 9 a lot, which makes it the most popular item overall, but they are not like user 5.
        var entries = new List<(int, int, float)>();
        for (var user = 0; user <= 5; user++)
            for (var item = 0; item <= 3; item++) entries.Add((user, item, 1));
        for (var user = 0; user <= 4; user++) entries.Add((user, 4, 1));
        for (var user = 6; user <= 9; user++)
        {
            for (var item = 5; item <= 8; item++) entries.Add((user, item, 1));
            entries.Add((user, 9, 10));
        }
        entries.Add((6, 0, 1));
        var matrix = InteractionMatrix.FromEntries(10, 10, entries);
        var cf = new UserUserCf(NeighbourhoodOptions.UserDefault with { Neighbours = 5, Shrinkage = 0 });
        cf.Fit(TrainingData.Of(matrix));

        var neighbours = cf.NeighboursOf(Person.Of(matrix, 5));
        var top = cf.Recommend(Person.Of(matrix, 5), 3, matrix.ItemsOf(5));
        Assert.Multiple(() =>
        {
            Assert.That(neighbours.Take(5).Select(n => n.Item), Is.EquivalentTo(new[] { 0, 1, 2, 3, 4 }));
            Assert.That(neighbours.Select(n => n.Item), Does.Not.Contain(5));
            Assert.That(top[0].Item, Is.EqualTo(4));
            Assert.That(top.Select(s => s.Item), Does.Not.Contain(9), "the dissimilar users' favourite is not among the 5 neighbours'");
            Assert.That(top.Select(s => s.Item), Is.Unique);
            Assert.That(top.Select(s => s.Item).Intersect([0, 1, 2, 3]), Is.Empty);
        });
    }

    [Test]
    public void Items_are_weighted_by_neighbour_similarity()
    {
        // User 0 has items 0,1. User 1 (has 0,1 and 2) is closer than user 2 (has 0 and 3, 4, 5).
        var matrix = InteractionMatrix.FromEntries(3, 6, [(0, 0, 1), (0, 1, 1), (1, 0, 1), (1, 1, 1), (1, 2, 1), (2, 0, 1), (2, 3, 1), (2, 4, 1), (2, 5, 1)]);
        var cf = new UserUserCf(NeighbourhoodOptions.UserDefault with { Neighbours = 2, Shrinkage = 0 });
        cf.Fit(TrainingData.Of(matrix));
        var top = cf.Recommend(Person.Of(matrix, 0), 4, matrix.ItemsOf(0));
        Assert.That(top[0].Item, Is.EqualTo(2));
        Assert.That(top[0].Score, Is.EqualTo(2 / MathF.Sqrt(6)).Within(1e-5));
        Assert.That(top[1].Score, Is.EqualTo(1 / MathF.Sqrt(8)).Within(1e-5));
        Assert.That(top.Skip(1).Select(s => s.Item), Is.EqualTo(new[] { 3, 4, 5 }), "equal scores go to the lower item");
    }
}
