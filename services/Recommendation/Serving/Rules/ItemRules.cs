namespace Personalization.Recommendation.Serving.Rules;

/// <summary>
/// A request's business rules: the filter an item must pass and the boosts that scale its score. Deleted,
/// discontinued and out-of-stock items are left out unless the filter reads <c>deleted</c> or <c>availability</c>,
/// which then decides for itself.
/// </summary>
public sealed class ItemRules(Condition? filter, IReadOnlyList<Boost> boosts)
{
    public static readonly ItemRules None = new(null, []);

    private readonly Condition? _filter = filter;
    private readonly IReadOnlyList<Boost> _boosts = boosts;
    private readonly bool _filterDecidesAvailability = filter?.Fields.Overlaps(["availability", "deleted"]) == true;

    /// <summary>Both sets of rules: an item must pass both filters, and every boost applies (a scenario's and a request's).</summary>
    public ItemRules And(ItemRules other) => new(
        (_filter, other._filter) switch
        {
            (null, var b) => b,
            (var a, null) => a,
            var (a, b) => new Condition(f => a.Test(f) && b.Test(f), a.Fields.Union(b.Fields, StringComparer.OrdinalIgnoreCase).ToHashSet(StringComparer.OrdinalIgnoreCase)),
        },
        [.. _boosts, .. other._boosts]);

    public bool Admits(ItemFacts item, bool servable) => (servable || _filterDecidesAvailability) && (_filter?.Test(item) ?? true);

    public double BoostOf(ItemFacts item)
    {
        var factor = 1d;
        foreach (var boost in _boosts)
            if (boost.When.Test(item)) factor *= boost.Factor;
        return factor;
    }
}
