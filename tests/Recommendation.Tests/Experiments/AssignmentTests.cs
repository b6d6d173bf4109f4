using Personalization.Recommendation.Experiments;

namespace Personalization.Recommendation.Tests.Experiments;

public class AssignmentTests
{
    private static readonly Variant[] Variants = [new("control", 50), new("v7", 30), new("holdout", 20, PopularityOnly: true)];

    [TestCase("shop-a", "homepage-test")]
    [TestCase("shop-b", "email-test")]
    public void Ten_thousand_people_split_within_one_percent_of_the_weights(string tenant, string experiment)
    {
        var shares = Enumerable.Range(0, 10_000)
            .Select(n => Assignment.Pick(Variants, Assignment.PointOf(tenant, experiment, $"user-{n}")).Name)
            .GroupBy(name => name)
            .ToDictionary(g => g.Key, g => g.Count() / 10_000.0);

        Assert.That(shares["control"], Is.EqualTo(0.5).Within(0.01));
        Assert.That(shares["v7"], Is.EqualTo(0.3).Within(0.01));
        Assert.That(shares["holdout"], Is.EqualTo(0.2).Within(0.01));
    }

    [Test]
    public void A_person_lands_on_the_same_point_every_time_and_another_experiment_is_drawn_independently()
    {
        Assert.That(Assignment.PointOf("shop", "exp", "ann"), Is.EqualTo(Assignment.PointOf("shop", "exp", "ann")));
        var same = Enumerable.Range(0, 1000).Count(n =>
            Assignment.Pick(Variants, Assignment.PointOf("shop", "exp-1", $"p{n}")).Name == Assignment.Pick(Variants, Assignment.PointOf("shop", "exp-2", $"p{n}")).Name);
        // Independent draws agree with probability 0.5² + 0.3² + 0.2² = 0.38.
        Assert.That(same / 1000.0, Is.EqualTo(0.38).Within(0.05));
    }

    [Test]
    public void A_variant_without_weight_gets_nobody_new()
    {
        Variant[] variants = [new("control", 0), new("v7", 1)];

        Assert.That(Enumerable.Range(0, 1000).Select(n => Assignment.Pick(variants, Assignment.PointOf("t", "e", $"p{n}")).Name), Has.All.EqualTo("v7"));
        Assert.That(Assignment.Pick(variants, 0.9999999999).Name, Is.EqualTo("v7"));
    }

    [Test]
    public void Points_spread_evenly_over_the_unit_interval()
    {
        var points = Enumerable.Range(0, 10_000).Select(n => Assignment.PointOf("t", "e", $"p{n}")).ToArray();

        Assert.That(points, Has.All.GreaterThanOrEqualTo(0).And.LessThan(1));
        Assert.That(points.Average(), Is.EqualTo(0.5).Within(0.01));
    }
}
