using System.Text.RegularExpressions;
using Personalization.Recommendation.Serving;

namespace Personalization.Recommendation.Scenarios;

/// <summary>A scenario's defaults, as stored: what a caller gets by saying <c>scenario=name</c> and nothing else.</summary>
public sealed record ScenarioDefinition(
    string? Filter, string? Boost, int? Count, double? Diversity, int? MaxPerCategory, IReadOnlyList<string>? Exclude, int? ModelVersion = null)
{
    public RequestedOptions ToOptions() => new(Count, null, new RequestContext(), Filter, Boost, Exclude ?? [], Diversity, MaxPerCategory, ModelVersion);

    /// <summary>These settings over <paramref name="below"/>: each one this names replaces the one below.</summary>
    public ScenarioDefinition Over(ScenarioDefinition? below) => below is null ? this : new(
        Filter ?? below.Filter, Boost ?? below.Boost, Count ?? below.Count, Diversity ?? below.Diversity, MaxPerCategory ?? below.MaxPerCategory,
        Exclude ?? below.Exclude, ModelVersion ?? below.ModelVersion);

    public static ScenarioDefinition From(RequestedOptions options) =>
        new(options.Filter, options.Boost, options.Count, options.Diversity, options.MaxPerCategory, options.Exclude.Count > 0 ? options.Exclude : null,
            options.ModelVersion);
}

/// <summary>A tenant's named set of request defaults (homepage, product page, cart-abandonment email, ...).</summary>
public sealed partial record Scenario(string Name, ScenarioDefinition Definition, DateTimeOffset UpdatedAt)
{
    public const string NameRule = "1 to 64 letters, digits, '-' or '_', starting with a letter or digit";

    public static bool IsValidName(string name) => ValidName().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex ValidName();
}
