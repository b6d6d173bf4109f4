using System.Text.RegularExpressions;
using Personalization.TestSupport;

namespace Personalization.Deployment.Tests;

/// <summary>The production overlay's alerts and dashboard ask only for metrics the services really export.</summary>
public partial class MonitoringTests
{
    private static readonly string Monitoring = Path.Combine(ManifestCheck.K8s, "overlays", "production", "monitoring");

    [Test]
    public async Task The_alerts_and_the_dashboard_are_rendered_and_pass_their_schemas()
    {
        var report = await ManifestCheck.CheckAsync(await ManifestCheck.RenderAsync(Path.Combine(ManifestCheck.K8s, "overlays", "production")));
        Assert.That(report.Errors, Is.Empty);
        Assert.That(report.Kinds["PrometheusRule"], Is.EqualTo(1));
    }

    [Test]
    public void Every_metric_of_ours_they_query_is_one_a_service_defines()
    {
        var defined = DefinedInstruments();
        Assert.That(defined, Does.Contain("ingestion_relay_lag").And.Contain("triggers_sends"), "the instruments are found in the source");

        var queries = File.ReadAllText(Path.Combine(Monitoring, "prometheus-rules.yaml")) + File.ReadAllText(Path.Combine(Monitoring, "grafana-dashboard.json"));
        var ours = OurMetric().Matches(queries).Select(m => m.Value).Distinct().ToList();
        Assert.That(ours, Has.Count.GreaterThanOrEqualTo(6));
        foreach (var metric in ours)
            Assert.That(defined.Any(instrument => Exported(instrument).Contains(metric)), Is.True, $"{metric} is exported by no instrument in services/ or shared/");
    }

    /// <summary>What Prometheus calls an instrument's series: its name with underscores, the unit, and the type's suffix.</summary>
    private static IEnumerable<string> Exported(string instrument) =>
        from unit in new[] { "", "_milliseconds" }
        from suffix in new[] { "", "_total", "_bucket", "_count", "_sum" }
        select instrument + unit + suffix;

    private static HashSet<string> DefinedInstruments() =>
        new[] { "services", "shared" }.SelectMany(folder => Directory.EnumerateFiles(Path.Combine(LocalInfrastructure.RepoRoot, folder), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .SelectMany(f => Instrument().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value.Replace('.', '_')))
            .ToHashSet();

    [GeneratedRegex(@"Create(?:Observable)?(?:Counter|Histogram|Gauge|UpDownCounter)(?:<\w+>)?\(\s*""([a-z_.]+)""")]
    private static partial Regex Instrument();

    [GeneratedRegex(@"\b(?:ingestion|segmentation|triggers|recommendation|messaging)_[a-z_]+")]
    private static partial Regex OurMetric();
}
