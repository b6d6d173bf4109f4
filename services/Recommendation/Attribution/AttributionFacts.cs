using System.Text.Json;
using Personalization.Contracts;
using Personalization.Contracts.Commerce;
using Personalization.Contracts.V1;
using Personalization.Recommendation.Serving;

namespace Personalization.Recommendation.Attribution;

/// <summary>Who did something, as the event names them: the user (else the anonymous id) and the stream an erasure names.</summary>
public sealed record Actor(string Person, string? AnonymousId, string StreamKey)
{
    public static Actor Of(EventRecorded e) => new(e.UserId ?? "anonymous:" + e.AnonymousId, e.AnonymousId, e.StreamKey);
}

/// <summary>A response shown: <c>Recommendation Viewed</c> with its <c>recommendationId</c> and the items shown.</summary>
public sealed record Viewed(Guid EventId, string TenantId, string RecommendationId, ResponseOrigin Origin, Actor Actor, DateTimeOffset At, int Shown);

/// <summary>One of a response's items clicked: <c>Product Clicked</c> with the <c>recommendationId</c> and its position.</summary>
public sealed record Clicked(Guid EventId, string TenantId, string RecommendationId, ResponseOrigin Origin, Actor Actor, DateTimeOffset At, string ItemId, int? Position);

/// <summary>A line of an order (<c>Order Completed</c>), which converts a click on its item within the window.</summary>
public sealed record Ordered(Guid EventId, int Line, string TenantId, Actor Actor, DateTimeOffset At, string? OrderId, string ItemId, decimal Revenue);

/// <summary>
/// The events attribution reads, out of everything in the log; every other event, and any event flagged as a bot's,
/// a burst's or without consent, is none of its business. Names match as the commerce events do ("Recommendation
/// Viewed", "recommendation_viewed"); the id is <c>recommendationId</c> or <c>recommendation_id</c>. A content decision
/// comes back the same way as <c>Decision Viewed</c> and <c>Decision Clicked</c> with its <c>decisionId</c>.
/// </summary>
public static class AttributionFacts
{
    private static readonly string ViewedName = CommerceEvents.Normalize("Recommendation Viewed");
    private static readonly string DecisionViewedName = CommerceEvents.Normalize("Decision Viewed");
    private static readonly string DecisionClickedName = CommerceEvents.Normalize("Decision Clicked");

    public sealed record Facts(Viewed? Viewed, Clicked? Clicked, IReadOnlyList<Ordered> Ordered)
    {
        public bool IsEmpty => Viewed is null && Clicked is null && Ordered.Count == 0;
    }

    private static readonly Facts None = new(null, null, []);

    public static Facts Of(EventRecorded e)
    {
        if (e.Flags != EventFlags.None || e.Type != EventTypes.Track || e.Name is null) return None;
        var properties = CommerceEvents.Properties(e.Payload);
        var recommendationId = JsonFields.FirstText(properties, "recommendationId", "recommendation_id");
        var decisionId = JsonFields.FirstText(properties, "decisionId", "decision_id");
        var actor = Actor.Of(e);
        var name = CommerceEvents.Normalize(e.Name);
        if (recommendationId is not null && name == ViewedName)
            return new(new Viewed(e.EventId, e.TenantId, recommendationId, ResponseOrigin.Of(recommendationId), actor, e.Timestamp, Shown(properties)), null, []);
        if (decisionId is not null && name == DecisionViewedName)
            return new(new Viewed(e.EventId, e.TenantId, decisionId, ResponseOrigin.Of(decisionId), actor, e.Timestamp, 1), null, []);
        // A decision's click names what was clicked when it is a product, else the rule whose content it was.
        if (decisionId is not null && name == DecisionClickedName)
            return new(null, new Clicked(e.EventId, e.TenantId, decisionId, ResponseOrigin.Of(decisionId), actor, e.Timestamp,
                CommerceEvents.ItemId(properties) ?? JsonFields.Text(properties, "rule") ?? "content", null), []);
        switch (CommerceEvents.ActionOf(e.Name))
        {
            case CommerceAction.ProductClicked when recommendationId is not null && CommerceEvents.ItemId(properties) is { } item:
                var position = JsonFields.Number(properties, "position") is { } p && p is >= 0 and <= int.MaxValue ? (int)p : (int?)null;
                return new(null, new Clicked(e.EventId, e.TenantId, recommendationId, ResponseOrigin.Of(recommendationId), actor, e.Timestamp, item, position), []);
            case CommerceAction.OrderCompleted:
                var orderId = CommerceEvents.OrderId(properties);
                return new(null, null, [.. CommerceEvents.Products(properties).Select((line, n) =>
                    new Ordered(e.EventId, n, e.TenantId, actor, e.Timestamp, orderId, line.ItemId, (line.Price ?? 0) * line.Quantity))]);
            default:
                return None;
        }
    }

    /// <summary>How many items the view lists: its products (as commerce events list them) or an <c>items</c> array of ids.</summary>
    private static int Shown(JsonElement properties)
    {
        if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
            return items.GetArrayLength();
        return properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty("products", out _) ? CommerceEvents.Products(properties).Count : 0;
    }
}
