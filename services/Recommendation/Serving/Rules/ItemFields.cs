using System.Text.Json;
using Personalization.Contracts.Catalog;

namespace Personalization.Recommendation.Serving.Rules;

/// <summary>What a rule can see of an item: the catalog's record (null when the catalog does not know the item) and the model's statistics.</summary>
public sealed record ItemFacts(string ItemId, CatalogItem? Item, float Popularity, DateTimeOffset Now);

public enum FieldType
{
    Text,
    Number,
    List,
    Category,
    Boolean,
    /// <summary>A catalog attribute: text, number or true/false, known only per item.</summary>
    Attribute,
}

public sealed record ItemField(string Name, FieldType Type, Func<ItemFacts, object?> Read, string Help);

/// <summary>The fields of the filter and boost language, over catalog fields and item statistics.</summary>
public static class ItemFields
{
    public const string AttributePrefix = "attributes.";

    public static readonly IReadOnlyList<ItemField> All =
    [
        new("id", FieldType.Text, f => f.ItemId, "the item id"),
        new("title", FieldType.Text, f => f.Item?.Title, "the catalog title"),
        new("description", FieldType.Text, f => f.Item?.Description, "the catalog description"),
        new("category", FieldType.Category, f => f.Item?.Category, "the category path, e.g. \"Home > Kitchen\""),
        new("tags", FieldType.List, f => f.Item?.Tags, "the catalog tags"),
        new("price", FieldType.Number, f => (double?)f.Item?.Price, "the price"),
        new("currency", FieldType.Text, f => f.Item?.Currency, "the price's currency"),
        new("availability", FieldType.Text, f => f.Item is { } item ? AvailabilityNames.Of(item.Availability) : null,
            $"one of {string.Join(", ", AvailabilityNames.All)}"),
        new("stock", FieldType.Number, f => (double?)f.Item?.StockCount, "the stock count"),
        new("deleted", FieldType.Boolean, f => f.Item is { } item ? item.DeletedAt is not null : null, "true for an item deleted from the catalog"),
        new("popularity", FieldType.Number, f => (double)f.Popularity, "the item's weighted interaction count in the model"),
        new("age_days", FieldType.Number, f => f.Item is { } item ? (f.Now - item.CreatedAt).TotalDays : null, "days since the item joined the catalog"),
    ];

    public static ItemField? Find(string name)
    {
        if (name.StartsWith(AttributePrefix, StringComparison.OrdinalIgnoreCase) && name.Length > AttributePrefix.Length)
        {
            var attribute = name[AttributePrefix.Length..];
            return new ItemField(name, FieldType.Attribute, f => AttributeValue(f.Item, attribute), "a catalog attribute");
        }
        return All.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
    }

    private static object? AttributeValue(CatalogItem? item, string name) =>
        item?.Attributes.TryGetValue(name, out var value) != true ? null : value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Array => value.EnumerateArray().Select(e => e.ToString()).ToList(),
            _ => null,
        };
}
