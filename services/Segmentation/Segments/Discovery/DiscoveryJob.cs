using System.Diagnostics;
using Personalization.Segmentation.Segments.Discovery.Features;
using Personalization.Segmentation.Segments.Discovery.Methods;

namespace Personalization.Segmentation.Segments.Discovery;

/// <summary>What a run of one method did: what it found, the run number it was saved as, who moved, and how long it took.</summary>
public sealed record DiscoveryOutcome(DiscoveredSet Set, int Run, long Entered, long Exited, TimeSpan Took);

/// <summary>
/// Discovers a tenant's segments as of an instant: reads the customers from the event log, runs each method on them
/// (clusterings on standardised RFM, engagement and category shares), and saves each method's segments as its next run.
/// </summary>
public sealed class DiscoveryJob(CustomerFeatureReader reader, DiscoveryStore store)
{
    public static readonly string[] Methods = [RfmMethod.Name, KMeansMethod.Name, DbscanMethod.Name, MixtureMethod.Name, PredictiveMethod.Name];

    /// <summary>Fewer customers than this are not clustered: the metrics that choose k say nothing on a handful.</summary>
    public const int FewestToCluster = 20;

    public async Task<IReadOnlyList<DiscoveryOutcome>> RunAsync(string tenantId, DateTimeOffset asOf, IReadOnlyCollection<string> methods,
        DiscoveryOptions options, Func<long, CancellationToken, Task>? onPage, CancellationToken cancellationToken)
    {
        var validatedAt = asOf - SegmentValidation.Period;
        var instants = PredictiveMethod.Instants(asOf, options).Append(validatedAt).Distinct().Order().ToList();
        var people = await reader.ReadAsync(tenantId, instants, onPage, cancellationToken);
        var byKey = people.ToDictionary(p => p.UserKey, StringComparer.Ordinal);
        var now = Snapshot(people, instants.IndexOf(asOf));
        var then = Snapshot(people, instants.IndexOf(validatedAt));

        var outcomes = new List<DiscoveryOutcome>();
        foreach (var method in Methods.Where(methods.Contains))
        {
            if (method != RfmMethod.Name && now.Customers.Count < FewestToCluster) continue;
            var watch = Stopwatch.StartNew();
            var set = await Task.Run(() => method == PredictiveMethod.Name
                ? PredictiveMethod.Run(people, instants, asOf, options)
                : Discover(method, now, options) with
                {
                    Validation = method == RfmMethod.Name || then.Customers.Count >= FewestToCluster
                        ? SegmentValidation.Of(Discover(method, then, options), byKey, validatedAt, asOf)
                        : null,
                }, cancellationToken);
            var (run, entered, exited) = await store.SaveAsync(tenantId, set, asOf, cancellationToken);
            outcomes.Add(new DiscoveryOutcome(set, run, entered, exited, watch.Elapsed));
        }
        return outcomes;
    }

    /// <summary>The customers at one instant, with their features computed on first use.</summary>
    public sealed class CustomersAt(IReadOnlyList<CustomerFeatures> customers)
    {
        private FeatureMatrix? _features;
        public IReadOnlyList<CustomerFeatures> Customers => customers;
        public FeatureMatrix Features => _features ??= FeatureSpace.Build(customers);
    }

    private static CustomersAt Snapshot(IReadOnlyList<CustomerHistory> people, int index) =>
        new(people.Select(p => p.At[index]).OfType<CustomerFeatures>().ToList());

    /// <summary>One partitioning method (RFM or a clustering) over the customers at an instant.</summary>
    public static DiscoveredSet Discover(string method, CustomersAt at, DiscoveryOptions options) => method switch
    {
        RfmMethod.Name => RfmMethod.Run(at.Customers),
        KMeansMethod.Name => KMeansMethod.Run(at.Customers, at.Features, options),
        DbscanMethod.Name => DbscanMethod.Run(at.Customers, at.Features, options),
        MixtureMethod.Name => MixtureMethod.Run(at.Customers, at.Features, options),
        _ => throw new ArgumentException($"Unknown discovery method '{method}': one of {string.Join(", ", Methods)}.", nameof(method)),
    };
}
