namespace Personalization.Recommendation.Experiments;

/// <summary>A stopped experiment, and what its promoted variant became.</summary>
/// <param name="PromotedTo">The scenario or placement version that took on the promoted variant; null when none was promoted.</param>
public sealed record ExperimentStopped(Experiment Experiment, object? PromotedTo);
