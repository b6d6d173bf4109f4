using System.Text.Json;

namespace Personalization.Contracts.Catalog;

public enum Availability
{
    InStock,
    OutOfStock,
    Discontinued,
}

/// <summary>
/// A tenant's catalog item as ingestion stores it (Marten documents in the event log's schema), id <c>{tenant}/{itemId}</c>. A delete keeps the document as a tombstone
/// (<see cref="DeletedAt"/> set, <see cref="UpdatedAt"/> moved on), so a later reader that syncs by
/// <see cref="UpdatedAt"/> or rebuilds from the catalog can tell a deleted item from one it never saw.
/// </summary>
public sealed record CatalogItem(
    string Id,
    string TenantId,
    string ItemId,
    string Title,
    string? Description,
    IReadOnlyList<string> Category,
    string? CategoryPath,
    decimal? Price,
    string? Currency,
    IReadOnlyList<string> Tags,
    Availability Availability,
    int? StockCount,
    IReadOnlyDictionary<string, JsonElement> Attributes,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? DeletedAt)
{
    public static string IdFor(string tenantId, string itemId) => $"{tenantId}/{itemId}";
}
