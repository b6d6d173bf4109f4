using Personalization.Triggers.Delivery;

namespace Personalization.Triggers.Feedback;

/// <summary>
/// Opens and clicks of sent messages: noted on the message, recorded in its journey's record, and sent back to
/// ingestion as the person's events. The open of a message with recommendations is also their
/// <c>Recommendation Viewed</c>, and a click on a recommended item their <c>Product Clicked</c>, so email joins the
/// same attribution as pages and apps.
/// </summary>
public sealed class MessageFeedback(Outbox outbox, FeedbackStore feedback, TimeProvider clock)
{
    /// <returns>False when the link names no sent message.</returns>
    public async Task<bool> EngagedAsync(TrackedLink link, Engagement engagement, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (await outbox.TrackAsync(link.SendKey, engagement, now, cancellationToken) is not ({ } message, var recommendationId)) return false;
        var name = engagement == Engagement.Opened ? "Email Opened" : "Email Link Clicked";
        await AddAsync(name, link.Url is null ? null : new { url = link.Url });
        if (recommendationId is not null && engagement == Engagement.Opened && link.Items is { Count: > 0 } shown)
            await AddAsync("Recommendation Viewed", new { products = shown.Select(item => new { product_id = item }) });
        if (recommendationId is not null && engagement == Engagement.Clicked && link.ItemId is { } clicked)
            await AddAsync("Product Clicked", new { product_id = clicked, position = link.Position, url = link.Url });
        return true;

        // Every open and click is an event of its own (a person may click twice); a repeat of one request is not.
        Task AddAsync(string @event, object? extra) => feedback.AddAsync(FeedbackEvent.For(message, @event, recommendationId, now,
            FeedbackStore.MessageId(link.SendKey, $"{@event}/{now.UtcTicks}/{link.Url}"), extra), cancellationToken);
    }
}
