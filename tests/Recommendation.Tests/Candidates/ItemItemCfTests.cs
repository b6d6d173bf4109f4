using Personalization.Recommendation.Candidates;
using Personalization.Recommendation.Interactions;

namespace Personalization.Recommendation.Tests.Candidates;

public class ItemItemCfTests
{
    /// <summary>
    /// 200 users buy random items from 50; every buyer of item 10 also buys item 20, and every buyer of item 30 also
    /// buys item 40 (planted co-purchases).
    /// </summary>
    private static InteractionMatrix PlantedCoPurchases(out int[] newBuyersOf10)
    {
        var random = new Random(7);
        var entries = new List<(int, int, float)>();
        var buyers = new List<int>();
        for (var user = 0; user < 200; user++)
        {
            var items = new HashSet<int>();
            while (items.Count < 5) items.Add(random.Next(50));
            if (items.Contains(10)) items.Add(20);
            if (items.Contains(30)) items.Add(40);
            if (user >= 190)
            {
                // Fresh customers who bought item 10 only: the pair's other half is what they should get.
                items = [10, random.Next(0, 10)];
                buyers.Add(user);
            }
            entries.AddRange(items.Select(i => (user, i, 1f)));
        }
        newBuyersOf10 = buyers.ToArray();
        return InteractionMatrix.FromEntries(200, 50, entries);
    }

    [Test]
    public void Item_item_finds_planted_co_purchases_as_nearest_neighbours()
    {
        var matrix = PlantedCoPurchases(out _);
        var cf = new ItemItemCf(NeighbourhoodOptions.ItemDefault with { Neighbours = 5, Shrinkage = 1, MaxDegreeOfParallelism = 2 });
        cf.Fit(TrainingData.Of(matrix));

        Assert.Multiple(() =>
        {
            Assert.That(cf.Neighbours.Of(10)[0].Item, Is.EqualTo(20));
            Assert.That(cf.Neighbours.Of(20)[0].Item, Is.EqualTo(10));
            Assert.That(cf.Neighbours.Of(30)[0].Item, Is.EqualTo(40));
            Assert.That(cf.Neighbours.Of(10), Has.Length.LessThanOrEqualTo(5));
            Assert.That(cf.Neighbours.Of(10).Select(n => n.Item), Does.Not.Contain(10));
            Assert.That(cf.Neighbours.Of(10)[0].Score, Is.GreaterThan(cf.Neighbours.Of(10)[1].Score * 2));
        });
    }

    [Test]
    public void A_buyer_of_one_half_of_a_pair_is_recommended_the_other_half_first()
    {
        var matrix = PlantedCoPurchases(out var newBuyers);
        var cf = new ItemItemCf(NeighbourhoodOptions.ItemDefault with { Neighbours = 10, Shrinkage = 1 });
        cf.Fit(TrainingData.Of(matrix));
        foreach (var user in newBuyers)
        {
            var top = cf.Recommend(Person.Of(matrix, user), 3, matrix.ItemsOf(user));
            Assert.That(top[0].Item, Is.EqualTo(20), $"user {user}");
            Assert.That(top.Select(s => s.Item), Is.Unique);
            Assert.That(top.Select(s => s.Item).Intersect(matrix.ItemsOf(user).ToArray()), Is.Empty);
        }
    }

    [Test]
    public void Shrinkage_lowers_the_similarity_of_items_with_little_support()
    {
        // Items 0 and 1 share one user; items 2 and 3 share ten. Unshrunk, both pairs have cosine 1.
        var entries = new List<(int, int, float)> { (0, 0, 1), (0, 1, 1) };
        for (var user = 1; user <= 10; user++) entries.AddRange([(user, 2, 1f), (user, 3, 1f)]);
        var matrix = InteractionMatrix.FromEntries(11, 4, entries);

        var plain = new ItemItemCf(NeighbourhoodOptions.ItemDefault with { Shrinkage = 0 });
        plain.Fit(TrainingData.Of(matrix));
        var shrunk = new ItemItemCf(NeighbourhoodOptions.ItemDefault with { Shrinkage = 5 });
        shrunk.Fit(TrainingData.Of(matrix));
        Assert.Multiple(() =>
        {
            Assert.That(plain.Neighbours.Of(0)[0].Score, Is.EqualTo(1f).Within(1e-6));
            Assert.That(plain.Neighbours.Of(2)[0].Score, Is.EqualTo(1f).Within(1e-6));
            Assert.That(shrunk.Neighbours.Of(0)[0].Score, Is.EqualTo(1f / 6).Within(1e-6));
            Assert.That(shrunk.Neighbours.Of(2)[0].Score, Is.EqualTo(10f / 15).Within(1e-6));
        });
    }
}
