using System.Text.Json;

namespace Personalization.Triggers.Definitions;

/// <summary>What a tenant defines here: the stored kind is the lower-case name.</summary>
public enum DefinitionKind { Template, Journey, ContactPolicy }

/// <summary>
/// A definition's life: a journey is a draft until published, then live (new entries run its published version)
/// or paused (no new entries; running occurrences carry on), and finally archived (kept, but no longer changed or
/// run). A template and a contact policy are live from their first save.
/// </summary>
public enum DefinitionStatus { Draft, Live, Paused, Archived }

public sealed record DefinitionSummary(string Id, string Name, int Version, DefinitionStatus Status, int? PublishedVersion, DateTimeOffset UpdatedAt);

public sealed record DefinitionVersionEntry(int Version, string? Note, DateTimeOffset CreatedAt, IReadOnlyList<DefinitionChange> Changes);

/// <summary>A definition as it stands (its latest version's body) with the history of every version.</summary>
public sealed record DefinitionDetails(string Id, string Name, int Version, DefinitionStatus Status, int? PublishedVersion, DateTimeOffset UpdatedAt,
    JsonElement Definition, IReadOnlyList<DefinitionVersionEntry> Versions);

public sealed record DefinitionVersion(string Id, int Version, string? Note, DateTimeOffset CreatedAt, JsonElement Definition);

public enum SaveOutcome { Created, NewVersion, Unchanged, Archived }

public sealed record SaveResult(SaveOutcome Outcome, int Version);

public enum StatusOutcome { Done, NotFound, Refused }

public sealed record StatusResult(StatusOutcome Outcome, string? Reason = null);
