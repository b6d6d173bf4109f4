using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.Options;

namespace Personalization.Triggers.Feedback;

/// <summary>
/// Posts the feedback events to ingestion's batch API as the person's track events, with each tenant's write key,
/// and marks them posted once ingestion has stored them (a 2xx there means durable). Ingestion deduplicates by
/// message id, so a batch posted again after a crash before the mark is stored once.
/// </summary>
public sealed class FeedbackPoster(FeedbackStore store, IHttpClientFactory clients, IOptions<FeedbackSettings> options, TimeProvider clock,
    ILogger<FeedbackPoster> logger) : BackgroundService
{
    public const int Batch = 200;
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.IngestionUrl is null || settings.WriteKeys.Count == 0)
        {
            logger.LogInformation("Feedback events stay in triggers.feedback: Feedback:IngestionUrl and Feedback:WriteKeys:{{tenant}} are not set");
            return;
        }
        var delay = Every;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var pending = await store.PendingAsync(settings.WriteKeys.Keys, Batch, stoppingToken);
                foreach (var tenant in pending.GroupBy(e => e.TenantId))
                    await PostAsync(settings, tenant.Key, tenant.ToList(), stoppingToken);
                delay = pending.Count == Batch ? TimeSpan.Zero : Every;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Posting feedback events to ingestion failed; they wait and are tried again");
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2 + 1, 60));
            }
            await Task.Delay(delay, clock, stoppingToken);
        }
    }

    /// <summary>
    /// Posts the events; a batch ingestion refuses as too large or invalid (413, 400) is halved and each half posted,
    /// so one event it will never take is set aside with its reason (<c>triggers.feedback.refused</c>) instead of
    /// holding back every event after it. Anything else (ingestion away, 429, 5xx) fails the round, to be tried again.
    /// </summary>
    private async Task PostAsync(FeedbackSettings settings, string tenantId, IReadOnlyList<FeedbackEvent> events, CancellationToken cancellationToken)
    {
        var batch = events.Select(e => new
        {
            type = "track", userId = e.UserId, @event = e.Event, messageId = e.MessageId, timestamp = e.At, properties = e.Properties,
            context = new { library = new { name = "personalization-triggers", version = "1" } },
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(settings.IngestionUrl!, "/v1/batch")) { Content = JsonContent.Create(new { batch }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(settings.WriteKeys[tenantId] + ":")));
        using var response = await clients.CreateClient(nameof(FeedbackPoster)).SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            await store.PostedAsync(events.Select(e => e.MessageId), clock.GetUtcNow(), cancellationToken);
            return;
        }
        var answer = $"ingestion answered {(int)response.StatusCode} for tenant {tenantId}: {await response.Content.ReadAsStringAsync(cancellationToken)}";
        if (response.StatusCode is not (HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge)) throw new HttpRequestException(answer);
        if (events.Count == 1)
        {
            logger.LogError("Ingestion refuses feedback event {MessageId} ({Event}) for good; it is set aside: {Answer}", events[0].MessageId, events[0].Event, answer);
            await store.RefusedAsync(events[0].MessageId, answer, clock.GetUtcNow(), cancellationToken);
            return;
        }
        var half = events.Count / 2;
        await PostAsync(settings, tenantId, [.. events.Take(half)], cancellationToken);
        await PostAsync(settings, tenantId, [.. events.Skip(half)], cancellationToken);
    }
}
