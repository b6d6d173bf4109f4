using System.Diagnostics;
using Personalization.Segmentation.Segments.Discovery.Features;
using Personalization.Segmentation.Segments.Discovery.Methods;

namespace Personalization.Segmentation.Segments.Discovery;

/// <summary>What a run of one method did: what it found, the run number it was saved as, who moved, and how long it took.</summary>
public sealed record DiscoveryOutcome(DiscoveredSet Set, int Run, long Entered, long Exited, TimeSpan Took);

/// <summary>
/// Discovers a tenant's segments as of an instant: reads the customers from the event log, runs each method on them
/// (clusterings on the standardised RFM and engagement features), and saves each method's segments as its next run.
/// </summary>
public sealed class DiscoveryJob(CustomerFeatureReader reader, DiscoveryStore store)
{
    public static readonly string[] Methods = [RfmMethod.Name, KMeansMethod.Name, DbscanMethod.Name, MixtureMethod.Name];

    /// <summary>Fewer customers than this are not clustered: the metrics that choose k say nothing on a handful.</summary>
    public const int FewestToCluster = 20;

    public async Task<IReadOnlyList<DiscoveryOutcome>> RunAsync(string tenantId, DateTimeOffset asOf, IReadOnlyCollection<string> methods,
        DiscoveryOptions options, Func<long, CancellationToken, Task>? onPage, CancellationToken cancellationToken)
    {
        var customers = await reader.ReadAsync(tenantId, asOf, onPage, cancellationToken);
        var outcomes = new List<DiscoveryOutcome>();
        double[][]? points = null;
        foreach (var method in Methods.Where(methods.Contains))
        {
            if (method != RfmMethod.Name && customers.Count < FewestToCluster) continue;
            var watch = Stopwatch.StartNew();
            points ??= method == RfmMethod.Name ? null : FeatureSpace.Standardise(customers, FeatureSpace.RfmWithEngagement);
            var set = await Task.Run(() => Discover(method, customers, points, options), cancellationToken);
            var (run, entered, exited) = await store.SaveAsync(tenantId, set, asOf, cancellationToken);
            outcomes.Add(new DiscoveryOutcome(set, run, entered, exited, watch.Elapsed));
        }
        return outcomes;
    }

    public static DiscoveredSet Discover(string method, IReadOnlyList<CustomerFeatures> customers, double[][]? points, DiscoveryOptions options) => method switch
    {
        RfmMethod.Name => RfmMethod.Run(customers),
        KMeansMethod.Name => KMeansMethod.Run(customers, points!, FeatureSpace.RfmWithEngagement, options),
        DbscanMethod.Name => DbscanMethod.Run(customers, points!, FeatureSpace.RfmWithEngagement, options),
        MixtureMethod.Name => MixtureMethod.Run(customers, points!, FeatureSpace.RfmWithEngagement, options),
        _ => throw new ArgumentException($"Unknown discovery method '{method}': one of {string.Join(", ", Methods)}.", nameof(method)),
    };
}
