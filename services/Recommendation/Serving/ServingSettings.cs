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

    /// <summary>How long items shown to a person count against them in the next answers; zero turns rotation off.</summary>
    public TimeSpan ImpressionWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The score factor per recent showing of an item (0..1; 1 turns rotation off).</summary>
    public double ImpressionDamping { get; set; } = 0.7;

    /// <summary>How many people's impressions a replica keeps; the least recently seen go first beyond it.</summary>
    public long ImpressionPeople { get; set; } = 1_000_000;

    /// <summary>How long a subject's candidates from the model are kept for their next requests; zero turns the cache off.</summary>
    public TimeSpan CandidateLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many candidates a replica keeps in all (about 100 per person, some 40 bytes each); the oldest go first beyond it.</summary>
    public long CandidateCacheSize { get; set; } = 2_000_000;
}
