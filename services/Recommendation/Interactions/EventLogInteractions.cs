using Personalization.Contracts;
using Personalization.Contracts.Commerce;
using Personalization.Contracts.V1;

namespace Personalization.Recommendation.Interactions;

/// <summary>
/// Interactions from the event log's messages, read through the shared <see cref="CommerceEvents"/> mapping that
/// profiles use too. Events flagged as bots, bursts or without consent count for no model, so they give nothing.
/// A product view or click is a view, an add-to-cart an add-to-cart, an order a purchase of each product it lists;
/// other events give nothing. The context is the event's country (<c>context.location.country</c>), else its device
/// type. An event with no user id counts for <see cref="AnonymousUser"/>, which can never collide with a user id's
/// interactions.
/// </summary>
public static class EventLogInteractions
{
    public static IEnumerable<Interaction> From(EventRecorded message)
    {
        if (message.Flags != EventFlags.None || message.Type != EventTypes.Track) return [];
        var type = CommerceEvents.ActionOf(message.Name) switch
        {
            CommerceAction.ProductViewed or CommerceAction.ProductClicked => InteractionTypes.View,
            CommerceAction.ProductAdded => InteractionTypes.AddToCart,
            CommerceAction.OrderCompleted => InteractionTypes.Purchase,
            _ => null,
        };
        var user = message.UserId ?? (message.AnonymousId is { } anonymousId ? AnonymousUser(anonymousId) : null);
        if (type is null || user is null) return [];
        var payload = message.Payload;
        var context = JsonFields.Text(payload, "context", "location", "country") ?? JsonFields.Text(payload, "context", "device", "type");
        var at = message.Timestamp.UtcDateTime;
        return CommerceEvents.Products(CommerceEvents.Properties(payload))
            .Select(line => new Interaction(user, line.ItemId, at, type, null, context));
    }

    public static string AnonymousUser(string anonymousId) => "anonymous:" + anonymousId;
}
