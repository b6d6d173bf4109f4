namespace Personalization.Recommendation.Experiments;

/// <summary>An experiment with how many people each of its variants has.</summary>
public sealed record ExperimentView(Experiment Experiment, IReadOnlyDictionary<string, long> People);
