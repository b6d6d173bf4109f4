using System.ComponentModel.DataAnnotations;

namespace Personalization.Ingestion.Screening;

public sealed class ScreeningOptions
{
    public const string Section = "Ingestion:Screening";

    /// <summary>Extra user-agent patterns (case-insensitive regular expressions) that mark bots, beside the built-in ones.</summary>
    public List<string> BotUserAgents { get; set; } = [];

    /// <summary>More events than this from one person within a minute are flagged as a burst.</summary>
    [Range(1, 1_000_000)]
    public int MaxEventsPerUserPerMinute { get; set; } = 300;

    /// <summary>Consent categories that mean "personalization" (matched case-insensitively).</summary>
    public List<string> ConsentCategories { get; set; } = ["personalization", "personalisation"];

    /// <summary>When true, an event that states no consent at all counts as without consent.</summary>
    public bool RequireExplicitConsent { get; set; }
}
