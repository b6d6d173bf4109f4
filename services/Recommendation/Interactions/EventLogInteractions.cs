using System.Text.Json;
using Personalization.Contracts;
using Personalization.Contracts.V1;

namespace Personalization.Recommendation.Interactions;

/// <summary>
/// Interactions from the event log's messages. Events flagged as bots, bursts or without consent count for no
/// model, so they give nothing. Segment e-commerce names map to the weighted types: <c>Product Viewed</c> is a
/// view, <c>Product Added</c> an add-to-cart, <c>Order Completed</c> a purchase of each product it lists
/// (<c>products[].product_id</c>, or a single <c>product_id</c>); other events give nothing. The context is the
/// event's country (<c>context.location.country</c>), else its device type. An event with no user id counts for
/// <see cref="AnonymousUser"/>, which can never collide with a user id's interactions.
/// </summary>
public static class EventLogInteractions
{
    private static readonly Dictionary<string, string> TypesByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Product Viewed"] = InteractionTypes.View,
        ["Product Clicked"] = InteractionTypes.View,
        ["Product Added"] = InteractionTypes.AddToCart,
        ["Order Completed"] = InteractionTypes.Purchase,
    };

    public static IEnumerable<Interaction> From(EventRecorded message)
    {
        if (message.Flags != EventFlags.None || message.Type != EventTypes.Track) yield break;
        if (message.Name is null || !TypesByName.TryGetValue(message.Name, out var type)) yield break;
        var user = message.UserId ?? (message.AnonymousId is { } anonymousId ? AnonymousUser(anonymousId) : null);
        if (user is null) yield break;
        var payload = message.Payload;
        var context = Text(payload, "context", "location", "country") ?? Text(payload, "context", "device", "type");
        var at = message.Timestamp.UtcDateTime;

        if (payload.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            if (properties.TryGetProperty("products", out var products) && products.ValueKind == JsonValueKind.Array)
            {
                foreach (var product in products.EnumerateArray())
                    if (Text(product, "product_id") is { } listed)
                        yield return new Interaction(user, listed, at, type, null, context);
            }
            else if (Text(properties, "product_id") is { } item)
                yield return new Interaction(user, item, at, type, null, context);
        }
    }

    public static string AnonymousUser(string anonymousId) => "anonymous:" + anonymousId;

    private static string? Text(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element)) return null;
        }
        return element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number => element.GetRawText(),
            _ => null,
        };
    }
}
