using Personalization.Contracts.Profiles;
using System.Text.Json;
using Personalization.Contracts;
using Personalization.Contracts.Commerce;
using Personalization.Contracts.V1;

namespace Personalization.Segmentation.Profiles;

/// <summary>
/// Folds one event into a profile. Pure and deterministic, so a rebuild from the event log gives the same profile
/// as the live path. Commerce events follow Segment's e-commerce spec v2 (Product Viewed/Added/Removed, Order Completed).
/// </summary>
public static class CustomerProfileProjection
{
    public const int RecentlyViewedCap = 20;
    public const int RecentlyPurchasedCap = 20;
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
        var properties = CommerceEvents.Properties(e.Payload);
        switch (CommerceEvents.ActionOf(e.Name))
        {
            // A click on a product (in a recommendation, a list, an email) shows the same interest as a view of it.
            case CommerceAction.ProductViewed or CommerceAction.ProductClicked when CommerceEvents.Line(properties) is { } viewed:
                MostRecentFirst(profile.RecentlyViewed, new ViewedItem(viewed.ItemId, viewed.Name, e.Timestamp), v => v.ItemId, RecentlyViewedCap);
                break;

            case CommerceAction.ProductAdded when CommerceEvents.Line(properties) is { } added:
                profile.Cart[added.ItemId] = profile.Cart.TryGetValue(added.ItemId, out var line)
                    ? line with { Quantity = line.Quantity + added.Quantity, Price = added.Price ?? line.Price }
                    : new CartLine(added.ItemId, added.Name, added.Quantity, added.Price ?? 0);
                break;

            case CommerceAction.ProductRemoved when CommerceEvents.Line(properties) is { } removed
                                                  && profile.Cart.TryGetValue(removed.ItemId, out var current):
                var left = current.Quantity - removed.Quantity;
                if (left > 0) profile.Cart[removed.ItemId] = current with { Quantity = left };
                else profile.Cart.Remove(removed.ItemId);
                break;

            case CommerceAction.OrderCompleted:
                var revenue = CommerceEvents.OrderValue(properties) ?? profile.CartValue;
                // An order sent as several events (one per invoice line, as shop exports do) is one order of their total value.
                var newOrder = CommerceEvents.OrderId(properties) is not { } orderId || profile.OrderIds.Add(orderId);
                profile.Purchases = new PurchaseSummary(
                    profile.Purchases.Count + (newOrder ? 1 : 0),
                    profile.Purchases.MonetaryTotal + revenue,
                    profile.Purchases.LastPurchaseAt is { } last && last > e.Timestamp ? last : e.Timestamp);
                profile.Cart.Clear();
                foreach (var bought in CommerceEvents.Products(properties))
                    MostRecentFirst(profile.RecentlyPurchased, new PurchasedItem(bought.ItemId, bought.Name, e.Timestamp), p => p.ItemId, RecentlyPurchasedCap);
                break;
        }
    }

    private static void MostRecentFirst<T>(List<T> items, T latest, Func<T, string> idOf, int cap)
    {
        var id = idOf(latest);
        items.RemoveAll(item => idOf(item) == id);
        items.Insert(0, latest);
        if (items.Count > cap) items.RemoveRange(cap, items.Count - cap);
    }

    private static ProfileContext MergeContext(ProfileContext last, JsonElement payload)
    {
        var context = JsonFields.Object(payload, "context");
        if (context.ValueKind != JsonValueKind.Object) return last;
        return new ProfileContext(
            JsonFields.Text(context, "device", "type") ?? JsonFields.Text(context, "device", "model") ?? last.Device,
            JsonFields.Text(context, "os", "name") ?? last.Os,
            JsonFields.Text(context, "locale") ?? last.Locale,
            JsonFields.Text(context, "location", "country") ?? last.Country,
            JsonFields.Text(context, "location", "city") ?? last.City,
            JsonFields.Text(context, "page", "referrer") ?? JsonFields.Text(context, "referrer", "url") ?? last.Referrer,
            JsonFields.Text(context, "timezone") ?? last.TimeZone);
    }

    private static void Increment(Dictionary<string, long> counts, string key) =>
        counts[key] = counts.GetValueOrDefault(key) + 1;
}
