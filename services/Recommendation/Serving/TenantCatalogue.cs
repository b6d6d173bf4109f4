using Personalization.Contracts.Catalog;
using Personalization.Recommendation.Interactions;

namespace Personalization.Recommendation.Serving;

/// <summary>
/// One tenant's catalog as this replica last read it, immutable so a request sees one state throughout. An item the
/// catalog does not know (a tenant without a catalog, or an id only seen in events) is servable: only the catalog
/// can say an item is gone.
/// </summary>
public sealed class TenantCatalogue
{
    private readonly Dictionary<string, CatalogItem> _items;

    public TenantCatalogue(IEnumerable<CatalogItem> items, DateTimeOffset? latestUpdate)
    {
        _items = items.ToDictionary(item => item.ItemId, StringComparer.Ordinal);
        LatestUpdate = latestUpdate;
    }

    public static readonly TenantCatalogue Empty = new([], null);

    /// <summary>The latest UpdatedAt read, from which the next sync reads on.</summary>
    public DateTimeOffset? LatestUpdate { get; }

    public int Count => _items.Count;

    public CatalogItem? Find(string itemId) => _items.GetValueOrDefault(itemId);

    /// <summary>Live items (not deleted), for declared interests and training.</summary>
    public IEnumerable<CatalogItem> Live => _items.Values.Where(item => item.DeletedAt is null);

    /// <summary>Whether the item may be served without a filter that asks for it: not deleted, discontinued or out of stock.</summary>
    public bool IsServable(string itemId) =>
        Find(itemId) is not { } item || (item.DeletedAt is null && item.Availability == Availability.InStock);

    /// <summary>This catalogue with the changes applied, or itself when none of them changes anything.</summary>
    public TenantCatalogue With(IReadOnlyList<CatalogItem> changes)
    {
        var changed = changes.Where(c => Find(c.ItemId) is not { } known || known.UpdatedAt < c.UpdatedAt).ToList();
        if (changed.Count == 0) return this;
        var items = new Dictionary<string, CatalogItem>(_items, StringComparer.Ordinal);
        foreach (var item in changed) items[item.ItemId] = item;
        return new TenantCatalogue(items.Values, Max(LatestUpdate, changed.Max(c => c.UpdatedAt)));
    }

    /// <summary>The live items as training content: title, description, category path and price.</summary>
    public IReadOnlyDictionary<string, ItemContent> Content() =>
        Live.ToDictionary(item => item.ItemId,
            item => new ItemContent(item.ItemId, item.Title, item.Description, item.CategoryPath, (float?)item.Price), StringComparer.Ordinal);

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x > b ? x : b;
}
