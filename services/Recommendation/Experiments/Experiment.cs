using Personalization.Recommendation.Scenarios;

namespace Personalization.Recommendation.Experiments;

/// <summary>
/// One arm of an experiment: its share of new people (weights are relative), and how its people are served. On a
/// scenario: the scenario's settings with <see cref="Settings"/> over them (a model version, a filter, a diversity,
/// ...), or only the most popular items (<see cref="PopularityOnly"/>, a holdout that measures what the models add).
/// On a placement: the rules of one of its versions (<see cref="PlacementVersion"/>, the latest when null), or only
/// its fallback (<see cref="FallbackOnly"/>, a holdout that measures what the rules add).
/// </summary>
public sealed record Variant(string Name, double Weight, ScenarioDefinition? Settings = null, bool PopularityOnly = false, int? PlacementVersion = null,
    bool FallbackOnly = false)
{
    public bool IsHoldout => PopularityOnly || FallbackOnly;
}

/// <summary>
/// An experiment on a scenario or on a placement: its variants, the control the others are compared with, and the
/// relative effect on CTR it is meant to detect, from which the results call works out the sample it needs.
/// </summary>
public sealed record ExperimentDefinition(string? Scenario, string? Placement, IReadOnlyList<Variant> Variants, string Control, double ExpectedEffect,
    string? Note = null)
{
    public const double DefaultExpectedEffect = 0.1;

    /// <summary>What the experiment runs on, as one key: one experiment runs on it at a time.</summary>
    public string Target => Scenario is not null ? ScenarioTarget(Scenario) : PlacementTarget(Placement!);

    public static string ScenarioTarget(string scenario) => "scenario:" + scenario;

    public static string PlacementTarget(string placement) => "placement:" + placement;

    public Variant? Find(string name) => Variants.FirstOrDefault(v => v.Name == name);
}

public enum ExperimentState { Running, Stopped }

public sealed record Experiment(
    string Id, ExperimentDefinition Definition, ExperimentState State, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? StoppedAt = null, string? Promoted = null);

/// <summary>The experiment and variant a response was served under, recorded with it.</summary>
public sealed record ExperimentArm(string Experiment, string Variant);
