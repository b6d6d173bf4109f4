using Personalization.Segmentation.Segments.Discovery.Clustering;

namespace Personalization.Segmentation.Tests.Discovery;

public class ClusteringTests
{
    /// <summary>Points drawn around each centre with the given spread, in a fixed order.</summary>
    private static double[][] Blobs(int seed, double spread, params (double[] Centre, int Count)[] blobs)
    {
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return blobs.SelectMany(b => Enumerable.Range(0, b.Count).Select(_ => b.Centre.Select(c => c + spread * Normal()).ToArray())).ToArray();
    }

    [Test]
    public void Silhouette_and_davies_bouldin_match_the_hand_computed_values()
    {
        double[][] points = [[0], [1], [4], [5]];
        int[] labels = [0, 0, 1, 1];
        // s(0) = (4.5 − 1) / 4.5, s(1) = (3.5 − 1) / 3.5, and the same mirrored.
        var expected = (3.5 / 4.5 + 2.5 / 3.5) / 2;
        Assert.That(ClusterQuality.Silhouette(points, labels, 2, seed: 1), Is.EqualTo(expected).Within(1e-12));
        // Spreads 0.5 each, centres 4 apart.
        Assert.That(ClusterQuality.DaviesBouldin(points, labels, 2), Is.EqualTo(0.25).Within(1e-12));
    }

    [Test]
    public void A_cluster_of_one_scores_zero_in_the_silhouette()
    {
        double[][] points = [[0], [1], [10]];
        int[] labels = [0, 0, 1];
        var expected = ((10 - 1) / 10.0 + (9 - 1) / 9.0 + 0) / 3;
        Assert.That(ClusterQuality.Silhouette(points, labels, 2, seed: 1), Is.EqualTo(expected).Within(1e-12));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void K_means_finds_planted_blobs_and_the_silhouette_picks_their_number(int seed)
    {
        var points = Blobs(seed, 0.5, ([0, 0], 150), ([8, 0], 150), ([4, 7], 150));
        var byK = Enumerable.Range(2, 5).ToDictionary(k => k, k => ClusterQuality.Silhouette(points, KMeansClustering.Fit(points, k, seed).Labels, k, seed));
        Assert.That(byK.MaxBy(p => p.Value).Key, Is.EqualTo(3), string.Join(", ", byK.Select(p => $"k={p.Key}: {p.Value:F3}")));

        var fit = KMeansClustering.Fit(points, 3, seed);
        for (var blob = 0; blob < 3; blob++)
            Assert.That(fit.Labels.Skip(blob * 150).Take(150).Distinct().Count(), Is.EqualTo(1), $"blob {blob} is one cluster");
        Assert.That(fit.Labels.Distinct().Count(), Is.EqualTo(3));
    }

    [Test]
    public void The_knee_is_where_a_flat_curve_turns_steep()
    {
        Assert.That(Dbscan.Knee([1, 1, 1.1, 1.1, 1.2, 1.2, 1.3, 1.3, 10, 20]), Is.EqualTo(1.3));
    }

    [TestCase(1)]
    [TestCase(2)]
    public void Dbscan_finds_two_dense_groups_and_leaves_far_points_as_noise(int seed)
    {
        var points = Blobs(seed, 0.3, ([0, 0], 100), ([5, 5], 100)).Concat([[20, 0], [0, 20], [-20, -5], [12, -12], [30, 30]]).ToArray();
        var result = Dbscan.Fit(points, seed);
        Assert.That(result.Fit.Clusters, Is.EqualTo(2), $"eps {result.Eps:F3}");
        Assert.That(result.Fit.Labels[^5..], Is.All.EqualTo(-1), "the five far points");
        Assert.That(result.Fit.Labels.Take(100).Distinct().Single(), Is.Not.EqualTo(result.Fit.Labels.Skip(100).Take(100).Distinct().Single()));
        Assert.That(result.NoiseShare, Is.GreaterThanOrEqualTo(5.0 / points.Length).And.LessThan(0.1));
    }

    [Test]
    public void Dbscan_with_a_given_radius_joins_a_chain_and_parts_a_gap()
    {
        double[][] points = [[0], [1], [2], [3], [10], [11], [12], [13], [30]];
        var result = Dbscan.Fit(points, eps: 1.5, minPoints: 3);
        Assert.That(result.Fit.Labels, Is.EqualTo(new[] { 0, 0, 0, 0, 1, 1, 1, 1, -1 }));
        Assert.That(result.NoiseShare, Is.EqualTo(1.0 / 9).Within(1e-12));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void The_mixture_recovers_planted_components_and_bic_prefers_their_number(int seed)
    {
        var points = Blobs(seed, 1.0, ([0, 0], 600), ([6, 6], 1400));
        var fits = Enumerable.Range(1, 3).ToDictionary(k => k, k => GaussianMixture.Fit(points, k, seed));
        Assert.That(fits.MinBy(f => f.Value.Bic).Key, Is.EqualTo(2), string.Join(", ", fits.Select(f => $"{f.Key}: {f.Value.Bic:F0}")));

        var two = fits[2];
        var small = two.Means[0][0] < two.Means[1][0] ? 0 : 1;
        Assert.That(two.Weights[small], Is.EqualTo(0.3).Within(0.02));
        Assert.That(two.Means[small], Is.EqualTo(new[] { 0.0, 0.0 }).Within(0.15));
        Assert.That(two.Means[1 - small], Is.EqualTo(new[] { 6.0, 6.0 }).Within(0.15));
        Assert.That(two.Covariances[small][0, 0], Is.EqualTo(1.0).Within(0.15), "unit variance");
        Assert.That(two.Converged, Is.True);
        Assert.That(two.Memberships.All(m => Math.Abs(m.Sum() - 1) < 1e-9), Is.True, "soft memberships sum to one");
        Assert.That(two.Memberships[0][small], Is.GreaterThan(0.99), "a point at the small component's heart");
    }

    [Test]
    public void Points_between_two_components_are_shared_between_them()
    {
        var points = Blobs(7, 1.0, ([0], 500), ([4], 500)).Append([2.0]).ToArray();
        var fit = GaussianMixture.Fit(points, 2, seed: 7);
        Assert.That(fit.Memberships[^1].Min(), Is.GreaterThan(0.2), "halfway between, neither component owns it");
    }
}
