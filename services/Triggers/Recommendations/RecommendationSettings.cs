namespace Personalization.Triggers.Recommendations;

/// <summary>Where the Recommendation service is, and the read token Triggers uses for each tenant (<c>Recommendation:Tokens:{tenant}</c>).</summary>
public sealed class RecommendationSettings
{
    public const string Section = "Recommendation";

    public Uri? Url { get; set; }
    public Dictionary<string, string> Tokens { get; set; } = [];

    /// <summary>How many items a message asks for.</summary>
    public int Count { get; set; } = 3;

    /// <summary>Longer than this and the message goes out with its fallback parts instead.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
}
