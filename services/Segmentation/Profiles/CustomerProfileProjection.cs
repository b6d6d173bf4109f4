using System.Globalization;
using System.Text.Json;
using Personalization.Contracts;
using Personalization.Contracts.V1;

namespace Personalization.Segmentation.Profiles;

/// <summary>
/// Folds one event into a profile. Pure and deterministic, so a rebuild from the event log gives the same profile
/// as the live path. Commerce events follow Segment's e-commerce spec v2 (Product Viewed/Added/Removed, Order Completed).
/// </summary>
public static class CustomerProfileProjection
{
    public const int RecentlyViewedCap = 20;
    public static readonly TimeSpan SessionTimeout = TimeSpan.FromMinutes(30);

    public static void Apply(CustomerProfile profile, EventRecorded e)
    {
        // The profile belongs to the stream it was started for; merged anonymous history does not rename it.
        if (profile.UserKey.Length == 0)
        {
            var key = StreamKey.For(e.TenantId, e.UserId, e.AnonymousId);
            profile.TenantId = key.TenantId;
            profile.UserKey = key.UserKey;
        }
        // Bots, bursts and events without consent are kept in the log but shape nothing here.
        if (e.Flags != EventFlags.None)
        {
            profile.ExcludedEvents++;
            return;
        }

        profile.EventCount++;
        Increment(profile.CountsByType, e.Type);
        if (e.Type == EventTypes.Track && e.Name is not null)
            Increment(profile.CountsByEvent, e.Name);

        // An event older than the latest one seen is counted, but does not move time, sessions or context backwards.
        var isLatest = profile.LastSeen is null || e.Timestamp >= profile.LastSeen;
        if (profile.FirstSeen is null || e.Timestamp < profile.FirstSeen)
            profile.FirstSeen = e.Timestamp;
        if (isLatest)
        {
            if (profile.LastSeen is null || e.Timestamp - profile.LastSeen > SessionTimeout)
            {
                profile.SessionCount++;
                profile.SessionStartedAt = e.Timestamp;
            }
            profile.LastSeen = e.Timestamp;
            profile.LastContext = MergeContext(profile.LastContext, e.Payload);
        }

        switch (e.Type)
        {
            case EventTypes.Identify:
                if (e.Payload.TryGetProperty("traits", out var traits) && traits.ValueKind == JsonValueKind.Object)
                    foreach (var trait in traits.EnumerateObject())
                        profile.Traits[trait.Name] = trait.Value.Clone();
                break;
            case EventTypes.Track:
                ApplyCommerce(profile, e);
                break;
        }
    }

    private static void ApplyCommerce(CustomerProfile profile, EventRecorded e)
    {
        var properties = e.Payload.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        switch (e.Name?.ToLowerInvariant())
        {
            case "product viewed" when ItemId(properties) is { } viewed:
                profile.RecentlyViewed.RemoveAll(item => item.ItemId == viewed);
                profile.RecentlyViewed.Insert(0, new ViewedItem(viewed, Text(properties, "name"), e.Timestamp));
                if (profile.RecentlyViewed.Count > RecentlyViewedCap)
                    profile.RecentlyViewed.RemoveRange(RecentlyViewedCap, profile.RecentlyViewed.Count - RecentlyViewedCap);
                break;

            case "product added" when ItemId(properties) is { } added:
                var quantity = Quantity(properties);
                profile.Cart[added] = profile.Cart.TryGetValue(added, out var line)
                    ? line with { Quantity = line.Quantity + quantity, Price = Number(properties, "price") ?? line.Price }
                    : new CartLine(added, Text(properties, "name"), quantity, Number(properties, "price") ?? 0);
                break;

            case "product removed" when ItemId(properties) is { } removed && profile.Cart.TryGetValue(removed, out var current):
                var left = current.Quantity - Quantity(properties);
                if (left > 0) profile.Cart[removed] = current with { Quantity = left };
                else profile.Cart.Remove(removed);
                break;

            case "order completed":
                var revenue = Number(properties, "revenue") ?? Number(properties, "total") ?? ProductsTotal(properties) ?? profile.CartValue;
                profile.Purchases = new PurchaseSummary(
                    profile.Purchases.Count + 1,
                    profile.Purchases.MonetaryTotal + revenue,
                    profile.Purchases.LastPurchaseAt is { } last && last > e.Timestamp ? last : e.Timestamp);
                profile.Cart.Clear();
                break;
        }
    }

    private static ProfileContext MergeContext(ProfileContext last, JsonElement payload)
    {
        if (!payload.TryGetProperty("context", out var context) || context.ValueKind != JsonValueKind.Object)
            return last;
        return new ProfileContext(
            Text(context, "device", "type") ?? Text(context, "device", "model") ?? last.Device,
            Text(context, "os", "name") ?? last.Os,
            Text(context, "locale") ?? last.Locale,
            Text(context, "location", "country") ?? last.Country,
            Text(context, "location", "city") ?? last.City,
            Text(context, "page", "referrer") ?? Text(context, "referrer", "url") ?? last.Referrer);
    }

    private static string? ItemId(JsonElement properties) =>
        Text(properties, "product_id") ?? Text(properties, "productId") ?? Text(properties, "sku") ?? Text(properties, "id");

    private static int Quantity(JsonElement properties) => Number(properties, "quantity") is { } q && q >= 1 ? (int)q : 1;

    private static decimal? ProductsTotal(JsonElement properties) =>
        properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty("products", out var products) && products.ValueKind == JsonValueKind.Array
            ? products.EnumerateArray().Sum(product => (Number(product, "price") ?? 0) * Quantity(product))
            : null;

    private static void Increment(Dictionary<string, long> counts, string key) =>
        counts[key] = counts.GetValueOrDefault(key) + 1;

    private static string? Text(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
                return null;
        }
        return element.ValueKind switch
        {
            JsonValueKind.String => element.GetString() is { Length: > 0 } text ? text : null,
            JsonValueKind.Number => element.GetRawText(),
            _ => null,
        };
    }

    private static decimal? Number(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value)) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number)) return number;
        return value.ValueKind == JsonValueKind.String && decimal.TryParse(value.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : null;
    }
}
