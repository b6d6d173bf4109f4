using System.Text.Json;
using Personalization.Contracts;
using Personalization.Contracts.Profiles;
using Personalization.Contracts.V1;
using Personalization.Segmentation.Profiles;
using Personalization.Segmentation.Segments.Discovery.Features;
using Personalization.Segmentation.Segments.Rfm;

namespace Personalization.Segmentation.Tests.Discovery;

public class FeatureTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    private static EventRecorded Track(string name, object properties) => new(
        Guid.NewGuid(), 0, "tenant", "web", StreamKey.ForUser("tenant", "u1").ToString(), 0, Guid.NewGuid().ToString(), EventTypes.Track, name, "u1", null, T0, T0,
        JsonSerializer.SerializeToElement(new { type = EventTypes.Track, userId = "u1", properties }));

    private static CustomerFeatures Customer(string key, double monetary, IReadOnlyDictionary<string, double> shares) =>
        new(key, new RfmValues(10, 2, monetary), 3, 10, 30, shares);

    [Test]
    public void Units_bought_are_shared_by_top_level_category_from_the_event_or_else_the_catalog()
    {
        var bought = new CategoryUnits(new Dictionary<string, string> { ["jigsaw"] = "Toys", ["mug"] = "Kitchen" });
        var profile = new CustomerProfile();
        void Apply(EventRecorded e)
        {
            bought.Add(e, profile);
            CustomerProfileProjection.Apply(profile, e);
        }

        Apply(Track("Order Completed", new
        {
            order_id = "o1",
            products = new object[]
            {
                new { product_id = "pan", category = "Kitchen > Pans", quantity = 3 },
                new { product_id = "jigsaw", quantity = 1 },
                new { product_id = "unknown", quantity = 5 },
            },
        }));
        // An order without lines checks out the cart; a path may also use slashes.
        Apply(Track("Product Added", new { product_id = "mug", quantity = 2 }));
        Apply(Track("Product Added", new { product_id = "lamp", category = "Home/Lighting", quantity = 1 }));
        Apply(Track("Order Completed", new { order_id = "o2", revenue = 20 }));
        Apply(Track("Product Viewed", new { product_id = "jigsaw" }));

        var shares = bought.Shares();
        Assert.That(shares.Keys, Is.EquivalentTo(new[] { "Kitchen", "Toys" }), "the lamp came from the cart, which keeps no category; the unknown item has none");
        Assert.That(shares["Kitchen"], Is.EqualTo(5.0 / 6).Within(1e-12));
        Assert.That(shares["Toys"], Is.EqualTo(1.0 / 6).Within(1e-12));
    }

    [Test]
    public void Categories_most_bought_become_columns_when_two_or_more_are_common_and_many_columns_are_reduced_by_pca()
    {
        var random = new Random(3);
        var customers = Enumerable.Range(0, 200).Select(i =>
        {
            var kitchen = 0.5 + 0.5 * random.NextDouble();
            return Customer($"c{i}", 10 + 100 * random.NextDouble(), new Dictionary<string, double>
            {
                ["Kitchen"] = kitchen, ["Toys"] = 1 - kitchen, ["Rare"] = i == 0 ? 1 : 0,
            });
        }).ToList();

        var columns = FeatureSpace.ColumnsFor(customers);
        Assert.That(columns.Select(c => c.Name), Is.EqualTo(new[] { "recency", "frequency", "monetary", "sessions", "tenure", "share:Kitchen", "share:Toys" }),
            "the largest mean share first; under 2% is left out");
        var features = FeatureSpace.Build(customers);
        // Only monetary, Kitchen and Toys vary, and the shares add up to one: two components hold all the variance.
        Assert.That(features.Pca, Is.EqualTo(new PcaSummary(2, 7, 1)).Using<PcaSummary>((a, b) =>
            a.Components == b.Components && a.Features == b.Features && Math.Abs(a.ExplainedVariance - b.ExplainedVariance) < 1e-9));
        Assert.That(features.Points[0], Has.Length.EqualTo(2));
        Assert.That(features.Standardised[0], Has.Length.EqualTo(7), "descriptions still read every feature");
        Assert.That(features.Standardised.Select(row => row[0]), Is.All.EqualTo(0), "recency is the same for all: rounding must not turn it into noise");

        var one = customers.Select(c => c with { CategoryShares = new Dictionary<string, double> { ["Kitchen"] = 1 } }).ToList();
        Assert.That(FeatureSpace.ColumnsFor(one), Is.EqualTo(FeatureSpace.RfmWithEngagement), "one category says nothing");
        Assert.That(FeatureSpace.Build(one).Pca, Is.Null);
    }

    [Test]
    public void Eigen_decomposition_matches_the_hand_computed_answer()
    {
        // [[2, 1], [1, 2]] has eigenvalues 3 and 1, along (1, 1) and (1, −1).
        var (values, vectors) = PrincipalComponents.Eigen(new double[,] { { 2, 1 }, { 1, 2 } });
        var largest = values[0] > values[1] ? 0 : 1;
        Assert.That(values[largest], Is.EqualTo(3).Within(1e-12));
        Assert.That(values[1 - largest], Is.EqualTo(1).Within(1e-12));
        Assert.That(Math.Abs(vectors[0, largest]), Is.EqualTo(Math.Sqrt(0.5)).Within(1e-12));
        Assert.That(vectors[0, largest] * vectors[1, largest], Is.GreaterThan(0));
        Assert.That(vectors[0, 1 - largest] * vectors[1, 1 - largest], Is.LessThan(0));
    }

    [Test]
    public void Projecting_onto_every_component_keeps_the_distances_and_the_first_carries_the_most_variance()
    {
        var random = new Random(7);
        var rows = FeatureSpace.Standardise(Enumerable.Range(0, 300).Select(_ =>
        {
            var t = random.NextDouble();
            return new[] { t, 2 * t + 0.1 * random.NextDouble(), random.NextDouble(), -t + 0.05 * random.NextDouble() };
        }).ToArray());
        var (points, summary) = PrincipalComponents.Project(rows, keptVariance: 1);
        Assert.That(summary.Components, Is.EqualTo(4));
        static double Distance(double[] a, double[] b) => Math.Sqrt(a.Zip(b, (x, y) => (x - y) * (x - y)).Sum());
        for (var i = 1; i < rows.Length; i += 37)
            Assert.That(Distance(points[i], points[0]), Is.EqualTo(Distance(rows[i], rows[0])).Within(1e-9), "a rotation");
        var variances = Enumerable.Range(0, 4).Select(k => points.Average(p => p[k] * p[k])).ToArray();
        Assert.That(variances, Is.Ordered.Descending);
        // Three of the four columns move together, so one component carries about three quarters of the variance.
        Assert.That(variances[0] / variances.Sum(), Is.InRange(0.7, 0.8));
        var (_, reduced) = PrincipalComponents.Project(rows, keptVariance: 0.9);
        Assert.That(reduced.Components, Is.EqualTo(2));
    }
}
