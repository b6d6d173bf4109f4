using System.Text.Json;

namespace Personalization.Contracts.Conditions;

/// <summary>
/// A parsed condition on a person: a tree of these, checked against the person's profile at an instant. Segments
/// and journey branches share these kinds; a segment adds tests of the person's events.
/// </summary>
public abstract record Condition;

public sealed record AllOf(IReadOnlyList<Condition> Parts) : Condition;

public sealed record AnyOf(IReadOnlyList<Condition> Parts) : Condition;

public sealed record Not(Condition Part) : Condition;

/// <summary>A test of a trait (from identify calls) or of a profile field that does not change with time.</summary>
public sealed record FieldTest(FieldSource Source, string Field, IReadOnlyList<Comparison> Comparisons) : Condition;

/// <summary>
/// A test of a duration in days since a profile instant (first seen, last seen, last purchase): its value grows with
/// time, so a person can pass or fail it with no event at all, at an instant known in advance.
/// </summary>
public sealed record AgeTest(AgeField Field, IReadOnlyList<Comparison> Comparisons) : Condition;

/// <summary>Membership of a segment of the tenant.</summary>
public sealed record MemberOf(string SegmentId) : Condition;

public enum FieldSource { Trait, Profile }

public enum AgeField { FirstSeen, LastSeen, LastPurchase }

public enum Operator { Equals, NotEquals, In, Exists, Gt, Gte, Lt, Lte, Before, After, Contains }

/// <summary>One operator and its operand, as written (a JSON value), with the number or instant it stands for.</summary>
public sealed record Comparison(Operator Operator, JsonElement Operand, double? Number = null, DateTimeOffset? Instant = null);

/// <summary>Where a condition names a segment, for the checks that need the tenant's segments (unknown ids, cycles).</summary>
public sealed record SegmentReference(string SegmentId, string Path);
