using Personalization.Contracts;
using Personalization.Triggers.Templates;

namespace Personalization.Triggers.Policy;

/// <summary>
/// Decides whether a message may go now. Skipped, in this order: no consent for a personalised message, a channel
/// suppressed after a hard bounce, a subscription group the person left, a frequency cap reached (across journeys,
/// then within the journey). Deferred: quiet hours, to the first local minute after they end. Pure: the sender
/// gives it the policy, the person and the time, and records every skip and deferral with its reason.
/// </summary>
public static class ContactRules
{
    public static ContactDecision Decide(ContactPolicy policy, Recipient recipient, Outgoing message, DateTimeOffset now)
    {
        if (message.Personalised && !recipient.Consented)
            return Skip("consent: the person withdrew consent for personalisation");
        if (recipient.Suppressed.Contains(message.Channel))
            return Skip($"suppressed: {Name(message.Channel)} to this person bounced hard");
        if (message.Group is { } group && recipient.Unsubscribed.Contains(group))
            return Skip($"unsubscribed: the person left the group '{group}'");

        var channel = policy.For(message.Channel);
        foreach (var cap in channel.Caps)
            if (Count(recipient.Sent, message.Channel, null, now - cap.Per) >= cap.Max)
                return Skip($"frequency cap: at most {cap.Max} {Name(message.Channel)} per {Durations.Format(cap.Per)} across journeys");
        foreach (var cap in channel.JourneyCaps)
            if (Count(recipient.Sent, message.Channel, message.JourneyId, now - cap.Per) >= cap.Max)
                return Skip($"frequency cap: at most {cap.Max} {Name(message.Channel)} per {Durations.Format(cap.Per)} from this journey");

        if (channel.Quiet && policy.QuietHours is { } quiet
            && QuietUntil(quiet, recipient.TimeZone ?? policy.DefaultTimeZone, now) is { } until)
            return new ContactDecision(Verdict.Defer, until, $"quiet hours: {quiet.From:HH\\:mm}–{quiet.To:HH\\:mm} in {(recipient.TimeZone ?? policy.DefaultTimeZone).Id}");
        return ContactDecision.Send;
    }

    /// <summary>When the quiet hours that hold at <paramref name="now"/> end, or null when they do not hold.</summary>
    public static DateTimeOffset? QuietUntil(QuietHours quiet, TimeZoneInfo zone, DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var inside = quiet.From <= quiet.To ? time >= quiet.From && time < quiet.To : time >= quiet.From || time < quiet.To;
        if (!inside) return null;
        var endDay = DateOnly.FromDateTime(local.DateTime);
        if (quiet.From > quiet.To && time >= quiet.From) endDay = endDay.AddDays(1);
        return LocalTimes.FirstInstantAtOrAfter(endDay.ToDateTime(quiet.To), zone);
    }

    private static int Count(IReadOnlyList<PastSend> sent, Channel channel, string? journeyId, DateTimeOffset after) =>
        sent.Count(s => s.Channel == channel && s.At > after && (journeyId is null || s.JourneyId == journeyId));

    private static ContactDecision Skip(string reason) => new(Verdict.Skip, null, reason);

    private static string Name(Channel channel) => channel switch
    {
        Channel.Email => "emails",
        Channel.Push => "push messages",
        _ => "webhooks",
    };
}
