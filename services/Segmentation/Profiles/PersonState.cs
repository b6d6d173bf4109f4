using Personalization.Contracts.Profiles;
using Personalization.Segmentation.Segments.Evaluation;

namespace Personalization.Segmentation.Profiles;

/// <summary>
/// A person's whole actor state, kept under one state key: the Dapr runtime reads each key in its own round trip
/// to the sidecar, so one key makes a new person's first turn one read and one write instead of three reads.
/// </summary>
public sealed class PersonState
{
    public StreamPosition Position { get; set; } = new();

    /// <summary>Null until an event has been applied, and after an erasure.</summary>
    public CustomerProfile? Profile { get; set; }

    /// <summary>The person's side of the tenant's rule segments; null while the tenant has none for them.</summary>
    public SegmentState? Segments { get; set; }
}
