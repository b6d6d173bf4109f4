using System.Text.Json;
using Personalization.Contracts.Conditions;

namespace Personalization.Segmentation.Segments.Definitions;

/// <summary>
/// What a rule segment is, as saved: its name and description, and the condition tree as written (JSON), kept as
/// the source of truth so a stored version reads back exactly as it was sent.
/// </summary>
public sealed record SegmentDefinition(string Name, string? Description, JsonElement Condition);

/// <summary>A definition with its parsed condition and the other segments it refers to (with where, for errors).</summary>
public sealed record ParsedDefinition(SegmentDefinition Definition, Condition Condition, IReadOnlyList<SegmentReference> References);
