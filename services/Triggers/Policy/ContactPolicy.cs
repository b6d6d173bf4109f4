using Personalization.Triggers.Templates;

namespace Personalization.Triggers.Policy;

/// <summary>At most <see cref="Max"/> messages in any window of length <see cref="Per"/>.</summary>
public sealed record FrequencyCap(int Max, TimeSpan Per);

/// <summary>Local hours in which nothing is sent: from <see cref="From"/> up to <see cref="To"/>, across midnight when From is later.</summary>
public sealed record QuietHours(TimeOnly From, TimeOnly To);

/// <param name="Caps">Across all of the tenant's journeys.</param>
/// <param name="JourneyCaps">Within each journey.</param>
/// <param name="Quiet">Whether the tenant's quiet hours hold for this channel (webhooks to other systems usually ignore them).</param>
public sealed record ChannelPolicy(IReadOnlyList<FrequencyCap> Caps, IReadOnlyList<FrequencyCap> JourneyCaps, bool Quiet);

/// <summary>A subscription group a person can leave with one click (the List-Unsubscribe link of every message sent in it).</summary>
public sealed record SubscriptionGroup(string Id, string Name);

/// <summary>
/// A tenant's rules for contacting people: per channel, frequency caps across journeys and within each; quiet hours
/// in the person's time zone (the tenant's when the person's is unknown); the subscription groups people can leave.
/// </summary>
public sealed record ContactPolicy(TimeZoneInfo DefaultTimeZone, QuietHours? QuietHours, IReadOnlyDictionary<Channel, ChannelPolicy> Channels,
    IReadOnlyList<SubscriptionGroup> Groups)
{
    /// <summary>The id a tenant's one policy is saved under.</summary>
    public const string DefinitionId = "contact-policy";

    /// <summary>Until a tenant sets one: UTC, no quiet hours, no caps, no groups.</summary>
    public static readonly ContactPolicy None = new(TimeZoneInfo.Utc, null, new Dictionary<Channel, ChannelPolicy>(), []);

    public ChannelPolicy For(Channel channel) => Channels.GetValueOrDefault(channel) ?? new ChannelPolicy([], [], Quiet: channel != Channel.Webhook);
}
