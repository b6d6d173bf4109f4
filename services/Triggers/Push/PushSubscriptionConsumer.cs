using System.Text.Json;
using MassTransit;
using Personalization.Contracts.V1;

namespace Personalization.Triggers.Push;

/// <summary>
/// Registers push subscriptions from the tracking API: a "Push Subscribed" event with the subscription as the
/// browser's <c>PushSubscription.toJSON()</c> gives it (<c>endpoint</c>, <c>keys.p256dh</c>, <c>keys.auth</c>), and
/// "Push Unsubscribed" with its <c>endpoint</c>. Events that lack them are passed over (ingestion's tracking plans
/// are the place to refuse them at the door).
/// </summary>
public sealed class PushSubscriptionConsumer(PushSubscriptions subscriptions, ILogger<PushSubscriptionConsumer> logger) : IConsumer<EventsRecorded>
{
    public const string Subscribed = "Push Subscribed";
    public const string Unsubscribed = "Push Unsubscribed";

    public async Task Consume(ConsumeContext<EventsRecorded> context)
    {
        // In log order: a subscribe and an unsubscribe of one endpoint end as the later one says.
        foreach (var e in context.Message.Events)
            await KeepAsync(e, context.CancellationToken);
    }

    private async Task KeepAsync(EventRecorded e, CancellationToken cancellationToken)
    {
        if (e is not { Type: "track", Name: Subscribed or Unsubscribed, UserId: { } userId }
            || e.Payload.ValueKind != JsonValueKind.Object || !e.Payload.TryGetProperty("properties", out var properties)
            || Text(properties, "endpoint") is not { } endpoint || !Uri.TryCreate(endpoint, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
            return;
        if (e.Name == Unsubscribed)
        {
            await subscriptions.RemoveAsync(e.TenantId, endpoint, cancellationToken);
            return;
        }
        if (!properties.TryGetProperty("keys", out var keys) || Text(keys, "p256dh") is not { } p256dh || Text(keys, "auth") is not { } auth)
        {
            logger.LogWarning("A '{Event}' event of tenant {Tenant} has no keys.p256dh and keys.auth; the subscription is not kept", Subscribed, e.TenantId);
            return;
        }
        await subscriptions.SaveAsync(e.TenantId, userId, new PushSubscriptionKeys(endpoint, p256dh, auth), cancellationToken);
    }

    private static string? Text(JsonElement owner, string name) =>
        owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;
}
