namespace Personalization.Recommendation.Drift;

/// <summary>What a detected drift does: nothing but being shown, recorded and shown, or that and a retraining.</summary>
public enum DriftAction { Off, Flag, Retrain }

/// <summary>
/// <c>Recommendation:Drift</c>: how often each served model is checked (zero: only when asked through the API),
/// what a drift does, ADWIN's confidence, the population stability index that counts as drift, and how much recent
/// behaviour the check reads.
/// </summary>
public sealed class DriftSettings
{
    public const string Section = "Recommendation:Drift";

    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromHours(1);
    public DriftAction Action { get; set; } = DriftAction.Flag;
    public double Delta { get; set; } = 0.002;
    public double PsiThreshold { get; set; } = PopulationStability.Drift;

    /// <summary>The latest impressions of the version the CTR check reads, in time order.</summary>
    public int MaxImpressions { get; set; } = 200_000;

    /// <summary>The latest interactions since the version's training data ended that the popularity check reads.</summary>
    public int MaxInteractions { get; set; } = 50_000;

    /// <summary>Fewer interactions than this say nothing about a shift: the popularity check waits for them.</summary>
    public int MinimumInteractions { get; set; } = 200;
}
