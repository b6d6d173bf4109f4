using Personalization.Recommendation.Candidates;
using Personalization.Recommendation.Interactions;

namespace Personalization.Recommendation.Tests.Candidates;

public class TrendingTests
{
    private static readonly DateTime Start = new(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc);

    private static IEnumerable<Interaction> Daily(string item, int fromDay, int toDay, int perDay) =>
        from day in Enumerable.Range(fromDay, toDay - fromDay)
        from n in Enumerable.Range(0, perDay)
        select new Interaction($"u{day}-{n}-{item}", item, Start.AddDays(day));

    [Test]
    public void An_item_whose_share_rose_in_the_last_week_is_trending_and_a_steady_one_is_not()
    {
        List<Interaction> history = [.. Daily("steady", 0, 30, 4), .. Daily("rising", 0, 23, 1), .. Daily("rising", 23, 30, 6), .. Daily("new", 25, 30, 1)];
        var matrix = TrainingData.Build(history, new InteractionWeighting()).Matrix;
        var trending = Trending.From(history, matrix);
        Assert.That(trending.Items.Select(i => matrix.ItemIds[i]), Is.EquivalentTo(new[] { "rising", "new" }));
    }

    [Test]
    public void Too_few_recent_interactions_or_history_only_within_the_window_trend_nothing()
    {
        List<Interaction> fewRecent = [.. Daily("steady", 0, 30, 4), .. Daily("blip", 28, 30, 1)];
        Assert.That(Trending.From(fewRecent, TrainingData.Build(fewRecent, new InteractionWeighting()).Matrix).Items, Is.Empty);
        List<Interaction> onlyRecent = [.. Daily("a", 25, 30, 3)];
        Assert.That(Trending.From(onlyRecent, TrainingData.Build(onlyRecent, new InteractionWeighting()).Matrix).Items, Is.Empty);
    }
}
