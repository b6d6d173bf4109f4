namespace Personalization.Contracts;

/// <summary>
/// Why an event, though stored, must not shape profiles or models. Bot traffic and events without consent for
/// personalization stay in the log (for audit and for a later change of policy) but count for nothing else.
/// </summary>
[Flags]
public enum EventFlags
{
    None = 0,

    /// <summary>Its user agent is a known bot, crawler or script.</summary>
    KnownBot = 1,

    /// <summary>Its user sent events faster than a person can (a burst over the configured rate).</summary>
    Burst = 2,

    /// <summary>The user withheld consent for personalization.</summary>
    NoConsent = 4,
}
