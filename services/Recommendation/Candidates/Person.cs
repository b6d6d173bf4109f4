using Personalization.Recommendation.Interactions;

namespace Personalization.Recommendation.Candidates;

/// <summary>
/// Whom a recommendation is for: their items with weights (ascending item indices), their row in the training
/// matrix when they have one (<see cref="Row"/> ≥ 0), and their context (country, device). <see cref="AsTrained"/>
/// says the items are exactly that row's, so a generator may use what it learnt for the row instead of working it
/// out from the items.
/// </summary>
public sealed record Person(int Row, int[] Items, float[] Values, string? Context, bool AsTrained)
{
    public static readonly Person Nobody = new(-1, [], [], null, false);

    /// <summary>The user of a matrix row, as trained.</summary>
    public static Person Of(InteractionMatrix matrix, int user) =>
        new(user, matrix.ItemsOf(user).ToArray(), matrix.ValuesOfUser(user).ToArray(), matrix.UserContexts[user], true);

    /// <summary>Someone known only by these items (a product page, a cart, a new visitor's views).</summary>
    public static Person FromItems(IEnumerable<(int Item, float Weight)> items, string? context = null, int row = -1)
    {
        var merged = new SortedDictionary<int, float>();
        foreach (var (item, weight) in items)
            if (item >= 0) merged[item] = merged.GetValueOrDefault(item) + weight;
        return new(row, [.. merged.Keys], [.. merged.Values], context, false);
    }

    /// <summary>This person with more items added (activity since training), which makes them no longer as trained.</summary>
    public Person With(IEnumerable<(int Item, float Weight)> more)
    {
        var extra = more.Where(m => m.Item >= 0 && m.Weight != 0).ToList();
        if (extra.Count == 0) return this;
        return FromItems(Items.Zip(Values).Concat(extra), Context, Row);
    }
}
