using Personalization.Triggers.Delivery;

namespace Personalization.Triggers.Feedback;

/// <summary>Opens and clicks of sent messages: noted on the message, recorded in its journey's record, and sent back to ingestion as the person's events.</summary>
public sealed class MessageFeedback(Outbox outbox, FeedbackStore feedback, TimeProvider clock)
{
    /// <returns>False when the key names no sent message.</returns>
    public async Task<bool> EngagedAsync(string sendKey, Engagement engagement, string? url, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (await outbox.TrackAsync(sendKey, engagement, now, cancellationToken) is not ({ } message, var recommendationId)) return false;
        var name = engagement == Engagement.Opened ? "Email Opened" : "Email Link Clicked";
        // Every open and click is an event of its own (a person may click twice); a repeat of one request is not.
        var id = FeedbackStore.MessageId(sendKey, $"{name}/{now.UtcTicks}/{url}");
        await feedback.AddAsync(FeedbackEvent.For(message, name, recommendationId, now, id, url is null ? null : new { url }), cancellationToken);
        return true;
    }
}
