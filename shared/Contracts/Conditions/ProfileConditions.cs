using Personalization.Contracts.Profiles;

namespace Personalization.Contracts.Conditions;

/// <summary>Checks a condition against a person's profile at an instant.</summary>
public static class ProfileConditions
{
    /// <summary>A segment leaf judged by the segments the profile lists: how a service that reads profiles judges one.</summary>
    public static bool ListsMembership(Condition leaf, CustomerProfile? profile) =>
        leaf is MemberOf member && profile?.Segments.ContainsKey(member.SegmentId) == true;

    /// <param name="profile">The person's profile; null when the person has none yet, so every field is absent.</param>
    /// <param name="other">Decides the leaves the profile cannot: segment membership, and a segment's tests of events.</param>
    public static bool Holds(Condition condition, CustomerProfile? profile, DateTimeOffset at, Func<Condition, bool> other)
    {
        switch (condition)
        {
            case AllOf all:
                foreach (var part in all.Parts) if (!Holds(part, profile, at, other)) return false;
                return true;
            case AnyOf any:
                foreach (var part in any.Parts) if (Holds(part, profile, at, other)) return true;
                return false;
            case Not not:
                return !Holds(not.Part, profile, at, other);
            case FieldTest { Source: FieldSource.Trait } trait:
                return Comparisons.AllHold(trait.Comparisons,
                    profile?.Traits.TryGetValue(trait.Field, out var value) == true ? FieldValue.Of(value) : FieldValue.Absent);
            case FieldTest field:
                return Comparisons.AllHold(field.Comparisons, profile is null ? FieldValue.Absent : ProfileFields.Read(profile, field.Field));
            case AgeTest age:
                return Comparisons.AllHold(age.Comparisons,
                    profile is not null && ProfileFields.AnchorOf(profile, age.Field) is { } anchor ? FieldValue.Of((at - anchor).TotalDays) : FieldValue.Absent);
            default:
                return other(condition);
        }
    }
}
