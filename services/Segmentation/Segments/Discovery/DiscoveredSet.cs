namespace Personalization.Segmentation.Segments.Discovery;

/// <summary>A segment a discovery method found: its id (<c>method.name</c>), a readable name and description, and its members' user keys.</summary>
public sealed record DiscoveredSegment(string Id, string Name, string Description, IReadOnlyList<string> Members);

/// <summary>A customer's probability of belonging to each of a mixture's segments (in the order of its segments).</summary>
public sealed record SoftMembership(string UserKey, double[] Probabilities);

/// <summary>
/// What one method found in a run among how many customers: its report (the metrics it chose by, as JSON shows them), its segments (each
/// customer in at most one, but for predictive segments), for a mixture and the predictions each customer's soft
/// memberships, and for a partition a backtest of how its segments converted.
/// </summary>
public sealed record DiscoveredSet(string Method, int Customers, object Report, IReadOnlyList<DiscoveredSegment> Segments)
{
    public IReadOnlyList<SoftMembership> Soft { get; init; } = [];

    /// <summary>The same method run as of a period earlier, and how its segments converted since.</summary>
    public ValidationReport? Validation { get; init; }
}

/// <summary>
/// How a run chooses: the seed for every random start, the ranges of cluster and component counts tried, and the
/// probability at which a customer joins each predictive segment.
/// </summary>
public sealed record DiscoveryOptions(int Seed = 42, int MinClusters = 2, int MaxClusters = 10, int MaxComponents = 8, int? MinPoints = null,
    double BuyThreshold = 0.5, double ChurnThreshold = 0.5);
