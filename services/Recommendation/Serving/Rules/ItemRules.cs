namespace Personalization.Recommendation.Serving.Rules;

/// <summary>
/// A request's business rules: the filter an item must pass and the boosts that scale its score. Deleted,
/// discontinued and out-of-stock items are left out unless the filter reads <c>deleted</c> or <c>availability</c>,
/// which then decides for itself.
/// </summary>
public sealed class ItemRules(Condition? filter, IReadOnlyList<Boost> boosts)
{
    public static readonly ItemRules None = new(null, []);

    private readonly bool _filterDecidesAvailability = filter?.Fields.Overlaps(["availability", "deleted"]) == true;

    public bool Admits(ItemFacts item, bool servable) => (servable || _filterDecidesAvailability) && (filter?.Test(item) ?? true);

    public double BoostOf(ItemFacts item)
    {
        var factor = 1d;
        foreach (var boost in boosts)
            if (boost.When.Test(item)) factor *= boost.Factor;
        return factor;
    }
}
