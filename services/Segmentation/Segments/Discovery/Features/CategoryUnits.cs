using Personalization.Contracts;
using Personalization.Contracts.Catalog;
using Personalization.Contracts.Commerce;
using Personalization.Contracts.Profiles;
using Personalization.Contracts.V1;

namespace Personalization.Segmentation.Segments.Discovery.Features;

/// <summary>
/// The units a person has bought, by top-level category: of each order's lines, or of the cart it checked out when the
/// order lists none. A line's category is the one the event gives, else the catalog's; lines in neither are left out.
/// </summary>
public sealed class CategoryUnits(IReadOnlyDictionary<string, string> catalogCategories)
{
    private static readonly char[] PathSeparators = ['>', '/'];
    private readonly Dictionary<string, long> _units = new(StringComparer.Ordinal);

    /// <summary>Each catalog item's top-level category, by item id.</summary>
    public static IReadOnlyDictionary<string, string> TopLevels(IEnumerable<CatalogItem> catalog) =>
        catalog.Where(item => item.DeletedAt is null && item.Category.Count > 0)
            .ToDictionary(item => item.ItemId, item => item.Category[0], StringComparer.Ordinal);

    /// <summary>Counts what <paramref name="e"/> bought; call before the event is applied to <paramref name="profile"/>, whose cart it may empty.</summary>
    public void Add(EventRecorded e, CustomerProfile profile)
    {
        if (e.Flags != EventFlags.None || CommerceEvents.ActionOf(e.Name) != CommerceAction.OrderCompleted) return;
        var lines = CommerceEvents.Products(CommerceEvents.Properties(e.Payload));
        IEnumerable<(string ItemId, string? Category, int Quantity)> bought = lines.Count > 0
            ? lines.Select(line => (line.ItemId, line.Category, line.Quantity))
            : profile.Cart.Values.Select(line => (line.ItemId, (string?)null, line.Quantity));
        foreach (var (itemId, category, quantity) in bought)
            if (TopLevel(itemId, category) is { } top)
                _units[top] = _units.GetValueOrDefault(top) + quantity;
    }

    /// <summary>Each category's share of the units counted so far (none before anything categorised was bought).</summary>
    public IReadOnlyDictionary<string, double> Shares()
    {
        if (_units.Count == 0) return CustomerFeatures.NoCategories;
        double total = _units.Values.Sum();
        return _units.ToDictionary(u => u.Key, u => u.Value / total, StringComparer.Ordinal);
    }

    /// <summary>Events write paths as <c>Home &gt; Lighting</c> or <c>Home/Lighting</c>; the first name is the top level.</summary>
    private string? TopLevel(string itemId, string? category) =>
        category?.Split(PathSeparators, 2)[0].Trim() is { Length: > 0 } top ? top : catalogCategories.GetValueOrDefault(itemId);
}
