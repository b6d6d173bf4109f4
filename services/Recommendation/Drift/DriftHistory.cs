namespace Personalization.Recommendation.Drift;

/// <summary>A tenant's latest drift check, and the checks before it, newest first.</summary>
public sealed record DriftHistory(DriftReport Latest, IReadOnlyList<DriftReport> Checks);
