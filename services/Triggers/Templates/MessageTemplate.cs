using Fluid;

namespace Personalization.Triggers.Templates;

/// <summary>The channels a journey sends on; a template is written for one of them.</summary>
public enum Channel { Email, Push, Webhook }

public static class ChannelNames
{
    public const string Expected = "One of \"email\", \"push\", \"webhook\".";

    /// <summary>
    /// A channel by its name, in any case. Only a name: Enum.TryParse would also take numbers ("-1") and flag lists
    /// ("push, webhook"), which name no channel.
    /// </summary>
    public static bool TryParse(string text, out Channel channel)
    {
        foreach (var known in Enum.GetValues<Channel>())
            if (known.ToString().Equals(text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                channel = known;
                return true;
            }
        channel = default;
        return false;
    }
}

/// <summary>
/// A message template: its Liquid parts for one channel (email: subject, html and text; push: title, body and url;
/// webhook: body), parsed, and the fallback parts used whole when rendering the main ones fails.
/// </summary>
/// <param name="UsesRecommendations">Whether the main parts name <c>recommendations</c>: then the Recommendation service is asked at send time.</param>
public sealed record MessageTemplate(string Name, Channel Channel, IReadOnlyDictionary<string, IFluidTemplate> Parts,
    IReadOnlyDictionary<string, IFluidTemplate>? Fallback, bool UsesRecommendations);
