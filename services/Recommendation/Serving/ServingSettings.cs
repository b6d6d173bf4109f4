namespace Personalization.Recommendation.Serving;

public sealed class ServingSettings
{
    public const string Section = "Recommendation:Serving";

    /// <summary>How often a replica checks which version each tenant serves and what changed in the catalogs; an activation or a catalog change reaches it within this.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How far back a catalog sync reads before the latest change it saw, for writes that commit late.</summary>
    public TimeSpan CatalogueOverlap { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a request waits for the person's profile before it answers from the model alone.</summary>
    public TimeSpan ProfileTimeout { get; set; } = TimeSpan.FromMilliseconds(300);
}
