using System.Text.Json;

namespace Personalization.Contracts.Profiles;

/// <summary>
/// Everything Segmentation knows about one person, kept by their CustomerProfile actor: what the profile API shows
/// and what Recommendation reads (non-remoting actor call <c>GetAsync</c>, JSON) for the person's latest activity.
/// </summary>
public sealed class CustomerProfile
{
    public string TenantId { get; set; } = "";
    public string UserKey { get; set; } = "";
    public long EventCount { get; set; }

    /// <summary>Events of this person left out: from bots, in bursts, or without consent for personalization.</summary>
    public long ExcludedEvents { get; set; }

    /// <summary>Calls by Segment type: identify, track, page, ...</summary>
    public Dictionary<string, long> CountsByType { get; set; } = [];

    /// <summary>Track calls by event name: "Product Viewed", "Order Completed", ...</summary>
    public Dictionary<string, long> CountsByEvent { get; set; } = [];

    public DateTimeOffset? FirstSeen { get; set; }
    public DateTimeOffset? LastSeen { get; set; }
    public int SessionCount { get; set; }
    public DateTimeOffset? SessionStartedAt { get; set; }
    public ProfileContext LastContext { get; set; } = new();

    /// <summary>Viewed or clicked, most recent first, one entry per item, at most Segmentation's RecentlyViewedCap.</summary>
    public List<ViewedItem> RecentlyViewed { get; set; } = [];

    /// <summary>Items of the person's orders, most recent first, one entry per item, at most Segmentation's RecentlyPurchasedCap.</summary>
    public List<PurchasedItem> RecentlyPurchased { get; set; } = [];

    public Dictionary<string, CartLine> Cart { get; set; } = [];
    public decimal CartValue => Cart.Values.Sum(line => line.Price * line.Quantity);
    public PurchaseSummary Purchases { get; set; } = new();

    /// <summary>Ids of the orders counted in <see cref="Purchases"/>: an order sent as several events (one per line) counts once.</summary>
    public HashSet<string> OrderIds { get; set; } = [];

    /// <summary>The segments the person is in, each with when they entered it.</summary>
    public Dictionary<string, DateTimeOffset> Segments { get; set; } = [];

    /// <summary>Traits from identify calls, the latest value of each.</summary>
    public Dictionary<string, JsonElement> Traits { get; set; } = [];
}

public sealed record ProfileContext(
    string? Device = null, string? Os = null, string? Locale = null, string? Country = null, string? City = null, string? Referrer = null,
    string? TimeZone = null);

public sealed record ViewedItem(string ItemId, string? Name, DateTimeOffset ViewedAt);

public sealed record PurchasedItem(string ItemId, string? Name, DateTimeOffset PurchasedAt);

public sealed record CartLine(string ItemId, string? Name, int Quantity, decimal Price);

/// <summary>Orders (distinct by order id), their total value and the latest order's time.</summary>
public sealed record PurchaseSummary(int Count = 0, decimal MonetaryTotal = 0, DateTimeOffset? LastPurchaseAt = null);
