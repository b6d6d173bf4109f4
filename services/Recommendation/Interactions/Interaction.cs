namespace Personalization.Recommendation.Interactions;

/// <summary>
/// One thing a user did with an item, before weighting: the raw unit that every reader produces and every split
/// divides. <paramref name="Value"/> is an explicit weight or rating when the source has one (it then replaces the
/// type's weight); <paramref name="Context"/> is where it happened (a country, a device) for context popularity.
/// </summary>
public readonly record struct Interaction(
    string User,
    string Item,
    DateTime Timestamp,
    string Type = InteractionTypes.Purchase,
    float? Value = null,
    string? Context = null);

/// <summary>The interaction types the default weighting knows, from weakest to strongest signal.</summary>
public static class InteractionTypes
{
    public const string View = "view";
    public const string AddToCart = "add_to_cart";
    public const string Purchase = "purchase";
}
