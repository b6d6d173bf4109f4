using System.Text.Json;
using Personalization.Triggers.Delivery;

namespace Personalization.Triggers.Feedback;

/// <summary>
/// A tracking event of the person about a message (Segment's email events: "Email Delivered", "Email Bounced",
/// "Email Opened", "Email Link Clicked"; "Webhook Delivered"), attributed to the journey, version, step, variant and
/// recommendation id. Its message id is derived from the send key and what happened, so ingestion stores a repeat once.
/// </summary>
public sealed record FeedbackEvent(string MessageId, string TenantId, string UserId, string Event, JsonElement Properties, DateTimeOffset At)
{
    public static FeedbackEvent For(OutboxMessage message, string @event, string? recommendationId, DateTimeOffset at, string messageId, object? extra = null)
    {
        var properties = new Dictionary<string, object?>
        {
            ["journey_id"] = message.JourneyId,
            ["journey_version"] = message.Version,
            ["step_id"] = message.StepId,
            ["variant"] = "treatment",
            ["channel"] = message.Channel.ToString().ToLowerInvariant(),
            ["template_id"] = message.TemplateId,
            ["send_key"] = message.SendKey,
            ["recommendation_id"] = recommendationId,
        };
        if (extra is not null)
            foreach (var property in JsonSerializer.SerializeToElement(extra, JsonSerializerOptions.Web).EnumerateObject())
                properties[property.Name] = property.Value;
        return new FeedbackEvent(messageId, message.TenantId, message.UserId, @event, JsonSerializer.SerializeToElement(properties), at);
    }
}
