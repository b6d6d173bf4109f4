using Personalization.Triggers.Templates;

namespace Personalization.Triggers.Policy;

/// <summary>A message sent earlier to the person, as the caps count it.</summary>
public sealed record PastSend(DateTimeOffset At, Channel Channel, string JourneyId);

/// <summary>What is known of the person when a message is about to go.</summary>
/// <param name="TimeZone">Theirs (from traits or context), or null for the tenant's.</param>
/// <param name="Consented">False when they withdrew consent for personalisation.</param>
/// <param name="Unsubscribed">The groups they left.</param>
/// <param name="Suppressed">The channels suppressed for them (a hard bounce).</param>
public sealed record Recipient(TimeZoneInfo? TimeZone, bool Consented, IReadOnlySet<string> Unsubscribed, IReadOnlySet<Channel> Suppressed, IReadOnlyList<PastSend> Sent);

/// <summary>The message that is about to go: on which channel, from which journey, in which subscription group (if any), and whether it is personalised.</summary>
public sealed record Outgoing(Channel Channel, string JourneyId, string? Group, bool Personalised);

public enum Verdict { Send, Defer, Skip }

/// <summary>Send now, defer until <see cref="Until"/>, or skip; with why when not sent now.</summary>
public sealed record ContactDecision(Verdict Verdict, DateTimeOffset? Until, string? Reason)
{
    public static readonly ContactDecision Send = new(Verdict.Send, null, null);
}
