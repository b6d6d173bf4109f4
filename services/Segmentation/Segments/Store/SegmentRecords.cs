using Personalization.Segmentation.Segments.Definitions;

namespace Personalization.Segmentation.Segments.Store;

/// <summary>A segment as listed: its id, name and the version in force.</summary>
public sealed record SegmentSummary(string Id, string Name, int Version, DateTimeOffset UpdatedAt);

/// <summary>
/// A segment as its readers see it, of either kind: <c>rule</c> (a definition, versioned by its saves) or a discovery
/// method (<c>rfm</c>, <c>kmeans</c>, <c>dbscan</c>, <c>gmm</c>, <c>predictive</c>; versioned by the method's runs).
/// </summary>
public sealed record ReadableSegment(string Id, string Kind, string Name, string? Description, int Version, DateTimeOffset UpdatedAt);

/// <summary>One saved version of a segment's definition.</summary>
public sealed record SegmentVersion(string Id, int Version, SegmentDefinition Definition, DateTimeOffset CreatedAt);

/// <summary>
/// A segment with the definition in force and the history of its versions, and, where the admin API shows it, how
/// far bringing the tenant's people up to its segments has got since the last change.
/// </summary>
public sealed record SegmentDetails(string Id, int Version, SegmentDefinition Definition, DateTimeOffset UpdatedAt, IReadOnlyList<VersionEntry> Versions)
{
    public RunStatus? CatchUp { get; init; }
}

public sealed record VersionEntry(int Version, DateTimeOffset CreatedAt);

/// <summary>What saving a definition did: a new segment, a new version, nothing (the same as the one in force), or refused.</summary>
public enum SaveOutcome { Created, NewVersion, Unchanged, Invalid }

public sealed record SaveResult(SaveOutcome Outcome, int Version, Dictionary<string, string[]> Errors);
