using Personalization.Recommendation.Evaluation;
using Personalization.Recommendation.Interactions;

namespace Personalization.Recommendation.Tests.Evaluation;

public class DataSplitTests
{
    private static readonly DateTime Start = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static Interaction[] Daily(int users, int days) =>
        [.. from day in Enumerable.Range(0, days) from user in Enumerable.Range(0, users) select new Interaction($"u{user}", $"i{day}", Start.AddDays(day))];

    [Test]
    public void Temporal_split_by_days_tests_the_last_days_and_trains_only_on_what_came_before()
    {
        var split = DataSplit.Create(Daily(3, 100), SplitKind.Temporal, 0.25, 42, testDays: 30);
        Assert.Multiple(() =>
        {
            Assert.That(split.Test.Min(x => x.Timestamp), Is.EqualTo(Start.AddDays(69)));
            Assert.That(split.Train.Max(x => x.Timestamp), Is.LessThan(split.Test.Min(x => x.Timestamp)));
            Assert.That(split.Test, Has.Count.EqualTo(3 * 31));
            Assert.That(split.Train.Count + split.Test.Count, Is.EqualTo(300));
        });
    }

    [Test]
    public void Temporal_split_by_fraction_puts_the_latest_quarter_in_test()
    {
        var split = DataSplit.Create(Daily(4, 100), SplitKind.Temporal, 0.25, 42);
        Assert.That(split.Test, Has.Count.EqualTo(100));
        Assert.That(split.Train.Max(x => x.Timestamp), Is.LessThan(split.Test.Min(x => x.Timestamp)));
    }

    [Test]
    public void Random_split_takes_a_seeded_quarter_of_all_interactions()
    {
        var data = Daily(10, 40);
        var a = DataSplit.Create(data, SplitKind.Random, 0.25, 42);
        var b = DataSplit.Create(data, SplitKind.Random, 0.25, 42);
        var c = DataSplit.Create(data, SplitKind.Random, 0.25, 43);
        Assert.Multiple(() =>
        {
            Assert.That(a.Test, Has.Count.EqualTo(100));
            Assert.That(a.Train, Has.Count.EqualTo(300));
            Assert.That(a.Test, Is.EqualTo(b.Test), "same seed, same split");
            Assert.That(c.Test, Is.Not.EqualTo(a.Test));
            Assert.That(a.Train.Concat(a.Test), Is.EquivalentTo(data));
        });
    }

    [Test]
    public void Random_per_user_split_tests_the_same_fraction_of_every_user()
    {
        var split = DataSplit.Create(Daily(5, 20), SplitKind.RandomPerUser, 0.25, 42);
        foreach (var user in Enumerable.Range(0, 5).Select(u => $"u{u}"))
        {
            Assert.That(split.Test.Count(x => x.User == user), Is.EqualTo(5));
            Assert.That(split.Train.Count(x => x.User == user), Is.EqualTo(15));
        }
    }
}
