using System.Diagnostics;
using System.Text.Json;
using Personalization.Contracts.Profiles;
using Personalization.ServiceDefaults;
using Personalization.Triggers.Feedback;
using Personalization.Triggers.Occurrences;
using Personalization.Triggers.Policy;
using Personalization.Triggers.Push;
using Personalization.Triggers.Recommendations;
using Personalization.Triggers.Subscriptions;
using Personalization.Triggers.Templates;

namespace Personalization.Triggers.Delivery;

/// <summary>
/// Delivers one message from the outbox: the contact policy decides first (skip or defer, with the reason); then
/// the template is rendered for the person as the preview would (profile, entry event, recommendations at send
/// time) and the message goes to its channel. A failure puts it back for a retry with jittered backoff, so an
/// outage of a provider delays messages and they go out when it recovers. Each attempt is a span in the trace of
/// the turn that queued the message, so a send and its recommendation call join the trace of the event behind it.
/// </summary>
public sealed class MessageDispatcher(
    ContactPolicies policies, TemplateStore templates, ProfileReader profiles, ConsentReader consents, SubscriptionStore subscriptions,
    Suppressions suppressions, Outbox outbox, RecommendationClient recommendations, ProviderPipelines providers, EmailSender email, WebhookSender webhooks, PushSender push,
    TimeProvider clock, DeliveryMetrics metrics, ILogger<MessageDispatcher> logger)
{
    public static readonly TimeSpan ProfileTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(10);

    /// <summary>Attempts (5 s doubling to 10 minutes apart: about 20 minutes in all) after which a missing profile or address is taken as real.</summary>
    public const int MaxAttemptsForProfile = 8;

    private static readonly ActivitySource Tracing = new(JourneyMetrics.MeterName + ".Delivery");

    public async Task DeliverAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        using var span = Tracing.StartContinuing($"send {message.Channel.ToString().ToLowerInvariant()}", ActivityKind.Internal, [message.TraceParent]);
        span?.SetTag("triggers.journey", message.JourneyId);
        try
        {
            var outcome = await TryDeliverAsync(message, cancellationToken);
            var now = clock.GetUtcNow();
            metrics.Attempted(message, outcome switch { Sent => "sent", Skipped => "skipped", Deferred => "deferred", _ => "retried" });
            await (outcome switch
            {
                Sent sent => outbox.SentAsync(message, sent.RecommendationId, now, cancellationToken, FeedbackStore.Insert(
                    FeedbackEvent.For(message, $"{Name(message.Channel)} Delivered", sent.RecommendationId, now, FeedbackStore.MessageId(message.SendKey, "delivered")))),
                Skipped skipped => outbox.SkippedAsync(message, skipped.Reason, now, cancellationToken),
                Deferred deferred => outbox.PutBackAsync(message, deferred.Until, deferred.Reason, deferred: true, now, cancellationToken),
                Retry retry => outbox.PutBackAsync(message, now + Backoff(message.Attempts), retry.Reason, deferred: false, now, cancellationToken),
                _ => throw new InvalidOperationException($"Unknown outcome {outcome}."),
            });
        }
        catch (HardBounce bounce)
        {
            metrics.Attempted(message, "bounced");
            var now = clock.GetUtcNow();
            await outbox.SkippedAsync(message, bounce.Message, now, CancellationToken.None,
                Suppressions.Suppress(message.TenantId, message.UserId, message.Channel, bounce.Message, now),
                FeedbackStore.Insert(FeedbackEvent.For(message, "Email Bounced", null, now, FeedbackStore.MessageId(message.SendKey, "bounced"), new { reason = bounce.Message })));
        }
        catch (PermanentFailure refused)
        {
            metrics.Attempted(message, "skipped");
            await outbox.SkippedAsync(message, refused.Message, clock.GetUtcNow(), CancellationToken.None);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            metrics.Attempted(message, "retried");
            logger.LogWarning(ex, "Sending {SendKey} failed (attempt {Attempt}); it is tried again", message.SendKey, message.Attempts);
            var now = clock.GetUtcNow();
            await outbox.PutBackAsync(message, now + Backoff(message.Attempts), ex.Message, deferred: false, now, CancellationToken.None);
        }
    }

    private abstract record Outcome;
    private sealed record Sent(string? RecommendationId) : Outcome;
    private sealed record Skipped(string Reason) : Outcome;
    private sealed record Deferred(DateTimeOffset Until, string Reason) : Outcome;
    private sealed record Retry(string Reason) : Outcome;

    private async Task<Outcome> TryDeliverAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        if (await templates.CurrentAsync(message.TenantId, message.TemplateId, cancellationToken) is not { } template)
            return new Skipped($"template: the tenant has no template '{message.TemplateId}'");
        var read = await profiles.ReadAsync(message.TenantId, message.UserId, ProfileTimeout, cancellationToken);
        if (!read.Reached) return new Retry("the profile could not be read");
        // Segmentation may not have applied the person's first events yet: a profile that is missing, or has no
        // address, is waited for a few attempts (minutes, with the backoff) before the message is given up.
        var profileMayLag = message.Attempts < MaxAttemptsForProfile;
        if (read.Profile is null && profileMayLag) return new Retry("the person has no profile yet");

        var policy = await policies.ForAsync(message.TenantId, cancellationToken);
        var now = clock.GetUtcNow();
        var recipient = await RecipientAsync(message, read.Profile, policy, now, cancellationToken);
        var decision = ContactRules.Decide(policy, recipient, new Outgoing(message.Channel, message.JourneyId, message.Group, Personalised: true), now);
        if (decision.Verdict == Verdict.Skip) return new Skipped(decision.Reason!);
        if (decision.Verdict == Verdict.Defer) return new Deferred(decision.Until!.Value, decision.Reason!);

        var address = Address(read.Profile);
        if (message.Channel == Channel.Email && address is null)
            return profileMayLag ? new Retry("the profile has no email address yet") : new Skipped("no address: the profile has no valid email trait");

        var picks = template.UsesRecommendations ? await recommendations.ForAsync(message.TenantId, message.UserId, message.Scenario, cancellationToken) : null;
        var rendered = await TemplateRenderer.RenderAsync(template, new RenderInput(read.Profile, message.EntryEvent, picks));
        if (rendered.Parts is not { } parts) return new Skipped($"template: {rendered.Problem}");
        await providers.For(message.Channel, message.Channel == Channel.Webhook ? message.Url!.Host : null).ExecuteAsync(async ct =>
        {
            if (message.Channel == Channel.Webhook)
                await webhooks.SendAsync(message.TenantId, message.Url!, parts.GetValueOrDefault("body", ""), message.SendKey, ct);
            else if (message.Channel == Channel.Push)
                await push.SendAsync(message.TenantId, message.UserId, parts, message.SendKey, ct);
            else
                await email.SendAsync(new OutgoingEmail(address!, parts, message.SendKey,
                    message.Group is { } group ? new UnsubscribeLink(message.TenantId, message.UserId, group) : null,
                    rendered.UsedFallback ? null : picks?.ItemIds), ct);
        }, cancellationToken);
        return new Sent(rendered.RecommendationId);
    }

    private async Task<Recipient> RecipientAsync(OutboxMessage message, CustomerProfile? profile, ContactPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var channel = policy.For(message.Channel);
        var window = channel.Caps.Concat(channel.JourneyCaps).Select(c => c.Per).DefaultIfEmpty(TimeSpan.Zero).Max();
        return new Recipient(
            LocalTimes.ZoneOf(profile),
            await consents.ConsentedAsync(message.TenantId, message.UserId, cancellationToken),
            await subscriptions.LeftAsync(message.TenantId, message.UserId, cancellationToken),
            await suppressions.ForAsync(message.TenantId, message.UserId, cancellationToken),
            window > TimeSpan.Zero ? await outbox.SentToAsync(message.TenantId, message.UserId, now - window, cancellationToken) : []);
    }

    private static string? Address(CustomerProfile? profile) =>
        profile?.Traits.GetValueOrDefault("email") is { ValueKind: JsonValueKind.String } trait && MimeKit.MailboxAddress.TryParse(trait.GetString(), out _)
            ? trait.GetString()
            : null;

    private static string Name(Channel channel) => channel switch
    {
        Channel.Email => "Email",
        Channel.Push => "Push",
        _ => "Webhook",
    };

    /// <summary>5 s doubling per attempt up to <see cref="MaxBackoff"/>, each within ±20%, so retries after an outage do not all come at once.</summary>
    public static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(5 * Math.Pow(2, Math.Max(0, attempts - 1)), MaxBackoff.TotalSeconds) * (0.8 + 0.4 * Random.Shared.NextDouble()));
}
