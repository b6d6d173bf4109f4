using Personalization.Segmentation.Segments.Discovery;
using Personalization.Segmentation.Segments.Discovery.Features;

namespace Personalization.Segmentation.Tests.Discovery;

public class ClusterPlotTests
{
    [Test]
    public void Two_blobs_fall_apart_along_the_first_component_each_named_by_its_segment()
    {
        // Three features; the blobs differ along (1, 1, 0), which the first component must find.
        var random = new Random(3);
        var rows = Enumerable.Range(0, 200).Select(i =>
        {
            var side = i % 2 == 0 ? 1.0 : -1.0;
            return new[] { side + random.NextDouble() * 0.1, side + random.NextDouble() * 0.1, random.NextDouble() * 0.1 };
        }).ToArray();
        var labels = rows.Select((_, i) => i % 2).ToArray();
        // Segment 1 stands for cluster label 1, segment 2 for label 0.
        var plot = ClusterPlot.Of("kmeans", new FeatureMatrix([], rows, rows, null), labels, [1, 0]);

        Assert.That(plot, Has.Count.EqualTo(200));
        var first = plot.Where(p => p.Segment == "kmeans.1").Select(p => p.X).ToList();
        var second = plot.Where(p => p.Segment == "kmeans.2").Select(p => p.X).ToList();
        Assert.That(first, Has.Count.EqualTo(100));
        Assert.That(first.Max() < second.Min() || first.Min() > second.Max(), Is.True, "the blobs do not overlap on the first component");
    }

    [Test]
    public void Large_clusterings_are_thinned_evenly_and_noise_is_named()
    {
        var rows = Enumerable.Range(0, 5_000).Select(i => new[] { i % 7 * 1.0, i % 11 * 1.0 }).ToArray();
        var labels = rows.Select((_, i) => i % 2 == 0 ? -1 : 0).ToArray();
        var plot = ClusterPlot.Of("dbscan", new FeatureMatrix([], rows, rows, null), labels, [0]);

        Assert.That(plot, Has.Count.LessThanOrEqualTo(ClusterPlot.MaxPoints).And.Count.GreaterThan(ClusterPlot.MaxPoints / 2));
        Assert.That(plot.Select(p => p.Segment).Distinct(), Is.EquivalentTo(new[] { "dbscan.1", "dbscan.noise" }));
    }
}
