namespace Personalization.Recommendation.Attribution;

/// <summary>
/// <c>Recommendation:Attribution</c>. A purchase of a clicked item within <see cref="Window"/> after the click
/// converts it (the last such click wins the order line). The window applies when figures are read, so changing
/// it re-reads the whole history the same way.
/// </summary>
public sealed class AttributionSettings
{
    public const string Section = "Recommendation:Attribution";

    public TimeSpan Window { get; set; } = TimeSpan.FromHours(24);
}
