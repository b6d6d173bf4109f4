using System.Text.Json;

namespace Personalization.Contracts.Commerce;

/// <summary>The shopping steps of Segment's e-commerce spec v2 that profiles, models, segments and triggers act on.</summary>
public enum CommerceAction
{
    ProductViewed,
    ProductClicked,
    ProductAdded,
    ProductRemoved,
    OrderCompleted,
}

/// <summary>One product of a commerce event: the single product of a product event, or a line of an order.</summary>
public sealed record ProductLine(string ItemId, string? Name, string? Category, decimal? Price, int Quantity);

/// <summary>
/// The one reading of Segment's e-commerce spec v2 (and its common camelCase and snake_case variants) that every
/// service shares, so a model, a profile, a segment and a trigger never disagree about what an event means.
/// Event names match whatever their case and separators ("Product Viewed", "product_viewed", "productViewed").
/// A product's id is the first of <c>product_id</c>, <c>productId</c>, <c>sku</c>, <c>id</c>; an order's products
/// are <c>properties.products[]</c>, or the properties themselves when they name a single product.
/// </summary>
public static class CommerceEvents
{
    public static readonly string[] ItemIdFields = ["product_id", "productId", "sku", "id"];

    private static readonly Dictionary<string, CommerceAction> ActionsByName = new(StringComparer.Ordinal)
    {
        ["productviewed"] = CommerceAction.ProductViewed,
        ["productclicked"] = CommerceAction.ProductClicked,
        ["productadded"] = CommerceAction.ProductAdded,
        ["productremoved"] = CommerceAction.ProductRemoved,
        ["ordercompleted"] = CommerceAction.OrderCompleted,
    };

    /// <summary>The commerce step a track event's name stands for, or null when it is none.</summary>
    public static CommerceAction? ActionOf(string? eventName) =>
        eventName is not null && ActionsByName.TryGetValue(Normalize(eventName), out var action) ? action : null;

    /// <summary>A product's id from any of <see cref="ItemIdFields"/>.</summary>
    public static string? ItemId(JsonElement product) => JsonFields.FirstText(product, ItemIdFields);

    /// <summary>The <c>properties</c> object of a payload (undefined when there is none).</summary>
    public static JsonElement Properties(JsonElement payload) => JsonFields.Object(payload, "properties");

    /// <summary>
    /// The products an event's properties name: each listed product with an id, else the single product the
    /// properties describe. A product without a usable id is skipped.
    /// </summary>
    public static IReadOnlyList<ProductLine> Products(JsonElement properties)
    {
        if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty("products", out var products)
            && products.ValueKind == JsonValueKind.Array)
        {
            var lines = new List<ProductLine>(products.GetArrayLength());
            foreach (var product in products.EnumerateArray())
                if (Line(product) is { } line) lines.Add(line);
            return lines;
        }
        return Line(properties) is { } single ? [single] : [];
    }

    /// <summary>The product a product event names, or null.</summary>
    public static ProductLine? Line(JsonElement product) => ItemId(product) is { } id
        ? new ProductLine(id, JsonFields.Text(product, "name"), JsonFields.Text(product, "category"), JsonFields.Number(product, "price"), Quantity(product))
        : null;

    /// <summary>An order's id, from <c>order_id</c>, <c>orderId</c> or <c>checkout_id</c>; null when the event names none.</summary>
    public static string? OrderId(JsonElement properties) => JsonFields.FirstText(properties, "order_id", "orderId", "checkout_id");

    /// <summary>An order's value: <c>revenue</c>, else <c>total</c>, else the sum of its lines; null when it names none.</summary>
    public static decimal? OrderValue(JsonElement properties) =>
        JsonFields.Number(properties, "revenue") ?? JsonFields.Number(properties, "total")
        ?? (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty("products", out var products) && products.ValueKind == JsonValueKind.Array
            ? Products(properties).Sum(line => (line.Price ?? 0) * line.Quantity)
            : null);

    /// <summary>A whole quantity of at least one; anything else (missing, zero, negative, text) counts as one.</summary>
    private static int Quantity(JsonElement product) =>
        JsonFields.Number(product, "quantity") is { } q && q >= 1 ? (int)Math.Min(q, int.MaxValue) : 1;

    /// <summary>An event name without case or separators ("Recommendation Viewed" → "recommendationviewed"), as names are matched.</summary>
    public static string Normalize(string name)
    {
        Span<char> buffer = stackalloc char[Math.Min(name.Length, 64)];
        var length = 0;
        foreach (var c in name)
        {
            if (c is ' ' or '_' or '-' or '.') continue;
            if (length == buffer.Length) return "";
            buffer[length++] = char.ToLowerInvariant(c);
        }
        return new string(buffer[..length]);
    }
}
