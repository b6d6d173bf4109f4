using System.Text.Json;

namespace Personalization.Recommendation.Decisions;

/// <summary>What a placement shows the person now: the version and rule that chose the content, the experiment variant, and the context read.</summary>
/// <param name="DecisionId">Reported back with "Decision Viewed" and "Decision Clicked", it counts for the placement and its variant.</param>
public sealed record DecisionAnswer(string DecisionId, string Placement, int Version, string? Rule, JsonElement? Content, string? Experiment, string? Variant,
    bool ProfileRead, IReadOnlyDictionary<string, string> Context);
