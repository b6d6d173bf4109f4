using Personalization.Contracts.Profiles;

namespace Personalization.Contracts.Conditions;

public enum FieldKind { Number, Text, Instant }

/// <summary>
/// The profile fields a condition may name, with what kind of value each holds. The <c>daysSince…</c> fields are ages:
/// they grow with time, so they are <see cref="AgeTest"/>s, which the evaluator also schedules deadlines for.
/// </summary>
public static class ProfileFields
{
    private static readonly Dictionary<string, (FieldKind Kind, Func<CustomerProfile, FieldValue> Read)> Fields = new(StringComparer.Ordinal)
    {
        ["eventCount"] = (FieldKind.Number, p => FieldValue.Of(p.EventCount)),
        ["sessionCount"] = (FieldKind.Number, p => FieldValue.Of(p.SessionCount)),
        ["cartValue"] = (FieldKind.Number, p => FieldValue.Of((double)p.CartValue)),
        ["cartItems"] = (FieldKind.Number, p => FieldValue.Of(p.Cart.Values.Sum(line => line.Quantity))),
        ["frequency"] = (FieldKind.Number, p => FieldValue.Of(p.Purchases.Count)),
        ["monetary"] = (FieldKind.Number, p => FieldValue.Of((double)p.Purchases.MonetaryTotal)),
        ["lastDevice"] = (FieldKind.Text, p => FieldValue.Of(p.LastContext.Device)),
        ["lastOs"] = (FieldKind.Text, p => FieldValue.Of(p.LastContext.Os)),
        ["country"] = (FieldKind.Text, p => FieldValue.Of(p.LastContext.Country)),
        ["city"] = (FieldKind.Text, p => FieldValue.Of(p.LastContext.City)),
        ["locale"] = (FieldKind.Text, p => FieldValue.Of(p.LastContext.Locale)),
        ["timeZone"] = (FieldKind.Text, p => FieldValue.Of(p.LastContext.TimeZone)),
        ["referrer"] = (FieldKind.Text, p => FieldValue.Of(p.LastContext.Referrer)),
        ["firstSeen"] = (FieldKind.Instant, p => FieldValue.Of(p.FirstSeen)),
        ["lastSeen"] = (FieldKind.Instant, p => FieldValue.Of(p.LastSeen)),
        ["lastPurchaseAt"] = (FieldKind.Instant, p => FieldValue.Of(p.Purchases.LastPurchaseAt)),
    };

    private static readonly Dictionary<string, AgeField> Ages = new(StringComparer.Ordinal)
    {
        ["daysSinceFirstSeen"] = AgeField.FirstSeen,
        ["daysSinceLastSeen"] = AgeField.LastSeen,
        ["recency"] = AgeField.LastPurchase,
        ["daysSinceLastPurchase"] = AgeField.LastPurchase,
    };

    public static IEnumerable<string> Names => Fields.Keys.Concat(Ages.Keys);

    public static bool TryGetKind(string name, out FieldKind kind)
    {
        var found = Fields.TryGetValue(name, out var field);
        kind = field.Kind;
        return found;
    }

    public static bool TryGetAge(string name, out AgeField age) => Ages.TryGetValue(name, out age);

    public static FieldValue Read(CustomerProfile profile, string name) => Fields[name].Read(profile);

    /// <summary>The instant an age counts from, or null while the person has none (never bought, say).</summary>
    public static DateTimeOffset? AnchorOf(CustomerProfile profile, AgeField field) => field switch
    {
        AgeField.FirstSeen => profile.FirstSeen,
        AgeField.LastSeen => profile.LastSeen,
        _ => profile.Purchases.LastPurchaseAt,
    };
}
