using Personalization.Segmentation.Segments.Discovery;
using Personalization.Segmentation.Segments.Discovery.Features;
using Personalization.Segmentation.Segments.Discovery.Methods;
using Personalization.Segmentation.Segments.Rfm;

namespace Personalization.Segmentation.Tests.Discovery;

public class PredictiveTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A person with these orders, their features read at each instant as the event log reader would.</summary>
    private static CustomerHistory Person(string key, IReadOnlyList<DateTimeOffset> instants, DateTimeOffset[] orders) =>
        new(key, instants.Select(at => orders.Where(o => o <= at).ToArray() is { Length: > 0 } before
            ? new CustomerFeatures(key, new RfmValues((at - before.Max()).TotalDays, before.Length, 20.0 * before.Length), before.Length, before.Length,
                (at - before.Min()).TotalDays, CustomerFeatures.NoCategories)
            : null).ToArray(), orders);

    /// <summary>Regulars order every 7 to 13 days all along; the lapsed ordered a few times a year ago and never again.</summary>
    private static List<CustomerHistory> People(int seed, IReadOnlyList<DateTimeOffset> instants)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, 400).Select(i =>
        {
            var regular = i % 2 == 0;
            var orders = new List<DateTimeOffset>();
            for (var at = AsOf.AddDays(-365 + random.Next(0, 20)); at < AsOf && (regular || orders.Count < 3); at = at.AddDays(random.Next(7, 14)))
                orders.Add(at);
            return Person($"user:{i:D3}", instants, orders.ToArray());
        }).ToList();
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void Planted_buyers_are_told_apart_on_a_later_window_and_only_they_are_likely_to_buy(int seed)
    {
        var options = new DiscoveryOptions(Seed: seed);
        var instants = PredictiveMethod.Instants(AsOf, options);
        var people = People(seed, instants);
        var set = PredictiveMethod.Run(people, instants, AsOf, options);
        var report = (PredictiveReport)set.Report;

        var buy = report.Targets.Single(t => t.Segment == "predictive.likely-to-buy-30d");
        Assert.That(buy.Skipped, Is.Null);
        Assert.That(buy.TrainedAt, Is.EqualTo(AsOf.AddDays(-60)));
        Assert.That(buy.TestedAt, Is.EqualTo(AsOf.AddDays(-30)), "tested on the window after the training labels end");
        Assert.That(buy.Auc, Is.GreaterThan(0.95));
        var likely = set.Segments.Single(s => s.Id == "predictive.likely-to-buy-30d").Members;
        Assert.That(likely, Has.Count.EqualTo(200));
        Assert.That(likely.All(key => int.Parse(key[5..]) % 2 == 0), Is.True, "the regulars");

        var churn = set.Segments.Single(s => s.Id == "predictive.churn-risk").Members;
        Assert.That(churn.All(key => int.Parse(key[5..]) % 2 == 1), Is.True, "the lapsed");
        Assert.That(set.Soft.Single(s => s.UserKey == likely[0]).Probabilities, Has.Length.EqualTo(2));
    }

    [Test]
    public void Too_little_history_skips_a_target_with_the_reason()
    {
        var options = new DiscoveryOptions();
        var instants = PredictiveMethod.Instants(AsOf, options);
        var people = People(1, instants).Take(30).ToList();
        var report = (PredictiveReport)PredictiveMethod.Run(people, instants, AsOf, options).Report;
        Assert.That(report.Targets.Select(t => t.Skipped), Has.All.StartsWith("too few customers"));
    }

    [Test]
    public void Validation_counts_each_segment_s_conversion_after_assignment()
    {
        var at = AsOf.AddDays(-30);
        DateTimeOffset[] instants = [at];
        var people = new[]
        {
            Person("user:a", instants, [at.AddDays(-5), at.AddDays(3)]),
            Person("user:b", instants, [at.AddDays(-5)]),
            Person("user:c", instants, [at.AddDays(-50), at.AddDays(40)]),
        }.ToDictionary(p => p.UserKey);
        var set = new DiscoveredSet("test", 3, new object(), [new("test.1", "One", "", ["user:a", "user:b"]), new("test.2", "Two", "", ["user:c"])]);
        var validation = SegmentValidation.Of(set, people, at, AsOf);
        Assert.That(validation.Segments.Select(s => (s.Customers, s.Converted)), Is.EqualTo(new[] { (2, 1), (1, 0) }), "an order after the period does not count");
        Assert.That(validation.Pairwise, Has.Count.EqualTo(1));
    }
}
