using Personalization.Recommendation.Drift;
using Personalization.Recommendation.Ranking;

namespace Personalization.Recommendation.Tests.Drift;

public class DriftCheckTests
{
    private static IEnumerable<bool> Clicks(Random random, int count, double ctr) => Enumerable.Range(0, count).Select(_ => random.NextDouble() < ctr);

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void A_ctr_that_falls_from_ten_to_three_percent_is_detected_with_both_rates(int seed)
    {
        var random = new Random(seed);
        var drift = DriftCheck.Ctr([.. Clicks(random, 5000, 0.10), .. Clicks(random, 3000, 0.03)], 0.002);

        Assert.That((drift.Impressions, drift.Detected, drift.Fell), Is.EqualTo((8000L, true, true)));
        Assert.That(drift.Before, Is.EqualTo(0.10).Within(0.03));
        Assert.That(drift.Now, Is.EqualTo(0.03).Within(0.015));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void A_steady_ctr_is_no_drift(int seed)
    {
        var drift = DriftCheck.Ctr([.. Clicks(new Random(seed), 8000, 0.10)], 0.002);

        Assert.That((drift.Detected, drift.Before), Is.EqualTo((false, (double?)null)));
        Assert.That(drift.Now, Is.EqualTo(0.10).Within(0.01));
    }

    [Test]
    public void A_rising_ctr_is_detected_but_did_not_fall()
    {
        var random = new Random(4);
        var drift = DriftCheck.Ctr([.. Clicks(random, 4000, 0.05), .. Clicks(random, 3000, 0.15)], 0.002);

        Assert.That((drift.Detected, drift.Fell), Is.EqualTo((true, false)));
    }

    /// <summary>100 items whose training mass falls off as 1/(rank + 1).</summary>
    private static readonly float[] Weights = [.. Enumerable.Range(0, 100).Select(i => 100f / (i + 1))];

    private static List<int> Sample(Random random, int count, IReadOnlyList<float> weights)
    {
        var total = weights.Sum();
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var point = random.NextDouble() * total;
            for (var item = 0; item < weights.Count; item++)
                if ((point -= weights[item]) < 0) return item;
            return weights.Count - 1;
        })];
    }

    [Test]
    public void Interactions_spread_as_in_training_are_stable()
    {
        var drift = DriftCheck.Popularity(Weights, Sample(new Random(5), 5000, Weights), PopulationStability.Drift, 200);

        Assert.That(drift.Index, Is.LessThan(PopulationStability.ModerateShift));
        Assert.That(drift.Detected, Is.False);
        Assert.That(drift.Expected, Has.Count.EqualTo(DriftCheck.PopularityBins + 1));
        Assert.That(drift.Expected.Sum(), Is.EqualTo(1).Within(1e-9));
        Assert.That(drift.Expected[^1], Is.Zero, "training knows all of its own items");
        Assert.That(drift.Expected.Skip(4).Take(DriftCheck.PopularityBins - 4), Has.All.EqualTo(0.1).Within(0.03),
            "bins of about a tenth of the mass where no single item outweighs one (the top items are bins of their own)");
    }

    [Test]
    public void Interest_moving_to_the_long_tail_and_to_new_items_is_drift()
    {
        var recent = Enumerable.Range(0, 1000).Select(n => n % 4 == 0 ? -1 : 60 + n % 40).ToList();

        var drift = DriftCheck.Popularity(Weights, recent, PopulationStability.Drift, 200);

        Assert.That(drift.Detected, Is.True);
        Assert.That(drift.Index, Is.GreaterThan(PopulationStability.Drift));
        Assert.That(drift.Actual[^1], Is.EqualTo(0.25).Within(1e-9), "a quarter went to items the model does not know");
    }

    [Test]
    public void Too_few_interactions_say_nothing()
    {
        var drift = DriftCheck.Popularity(Weights, [99, 98, 97], PopulationStability.Drift, 200);

        Assert.That((drift.Index, drift.Detected, drift.Interactions), Is.EqualTo(((double?)null, false, 3L)));
    }
}

public class RankerDriftTests
{
    private static float[] Column(Random random, int count, double shift, double missing) =>
        [.. Enumerable.Range(0, count).Select(_ => random.NextDouble() < missing ? float.NaN : (float)(random.NextDouble() + shift))];

    [Test]
    public void A_profile_bins_a_feature_by_training_deciles_and_counts_missing_values_apart()
    {
        var profile = FeatureProfile.Of("als.score", Column(new Random(1), 10_000, 0, 0.2));

        Assert.That(profile.Edges, Has.Length.EqualTo(FeatureProfile.Bins - 1));
        Assert.That(profile.Counts, Has.Length.EqualTo(FeatureProfile.Bins + 1));
        Assert.That(profile.Counts[^1], Is.EqualTo(2000).Within(150), "a fifth missing");
        var present = profile.Counts.Take(FeatureProfile.Bins).Sum();
        Assert.That(present + profile.Counts[^1], Is.EqualTo(10_000));
        Assert.That(profile.Counts.Take(FeatureProfile.Bins), Has.All.EqualTo(present / FeatureProfile.Bins).Within(2), "equal shares of the present values");
    }

    [Test]
    public void Live_inputs_like_training_are_stable_and_a_shifted_feature_is_named()
    {
        var random = new Random(2);
        FeatureProfile[] profiles = [FeatureProfile.Of("a", Column(random, 5000, 0, 0)), FeatureProfile.Of("b", Column(random, 5000, 0, 0))];
        string[] names = ["a", "b"];
        var same = Enumerable.Range(0, 2000).Select(_ => new[] { (float)random.NextDouble(), (float)random.NextDouble() }).ToList();
        var moved = Enumerable.Range(0, 2000).Select(_ => new[] { (float)random.NextDouble(), (float)(random.NextDouble() + 0.5) }).ToList();

        var stable = DriftCheck.Ranker(profiles, names, same, PopulationStability.Drift, 200);
        var drifted = DriftCheck.Ranker(profiles, names, moved, PopulationStability.Drift, 200);

        Assert.That(stable.Detected, Is.False);
        Assert.That(stable.Features.Values, Has.All.LessThan(PopulationStability.ModerateShift));
        Assert.That((drifted.Detected, drifted.Feature), Is.EqualTo((true, "b")));
        Assert.That(DriftCheck.Ranker(profiles, names, moved.Take(10).ToList(), PopulationStability.Drift, 200).Index, Is.Null, "too few rows");
        var missing = same.Select((r, n) => n % 3 == 0 ? new[] { float.NaN, r[1] } : r).ToList();
        Assert.That(DriftCheck.Ranker(profiles, names, missing, PopulationStability.Drift, 200).Feature, Is.EqualTo("a"), "a feature gone missing a third of the time drifts");
    }
}
