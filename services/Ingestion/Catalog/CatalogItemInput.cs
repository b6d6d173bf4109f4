using System.Text.Json;
using Personalization.Contracts.Catalog;

namespace Personalization.Ingestion.Catalog;

/// <summary>A validated item as a client sent it, before the store adds tenant and timestamps.</summary>
public sealed record CatalogItemInput(
    string ItemId,
    string Title,
    string? Description,
    IReadOnlyList<string> Category,
    decimal? Price,
    string? Currency,
    IReadOnlyList<string> Tags,
    Availability Availability,
    int? StockCount,
    IReadOnlyDictionary<string, JsonElement> Attributes)
{
    /// <summary>
    /// True when the stored, live item already says the same, so a repeated import leaves it and its
    /// <c>UpdatedAt</c> alone. Attributes compare as JSON values: PostgreSQL's jsonb reorders object keys.
    /// </summary>
    public bool SameContentAs(CatalogItem item) =>
        item.DeletedAt is null
        && Title == item.Title
        && Description == item.Description
        && Category.SequenceEqual(item.Category)
        && Price == item.Price
        && Currency == item.Currency
        && Tags.SequenceEqual(item.Tags)
        && Availability == item.Availability
        && StockCount == item.StockCount
        && Attributes.Count == item.Attributes.Count
        && Attributes.All(a => item.Attributes.TryGetValue(a.Key, out var stored) && JsonElement.DeepEquals(a.Value, stored));

    public CatalogItem ToItem(string tenantId, DateTimeOffset createdAt, DateTimeOffset updatedAt) => new(
        CatalogItem.IdFor(tenantId, ItemId), tenantId, ItemId, Title, Description, Category, CategoryPaths.Join(Category),
        Price, Currency, Tags, Availability, StockCount, Attributes, createdAt, updatedAt, null);
}
