using System.Globalization;
using System.Text.Json;
using Personalization.Recommendation.Experiments;

namespace Personalization.Recommendation.Serving;

/// <summary>Where the person is: country and device pick the context popularity; time of day is kept with the answer.</summary>
public sealed record RequestContext(string? Country = null, string? Device = null, string? TimeOfDay = null)
{
    public static readonly IReadOnlyList<string> TimesOfDay = ["morning", "afternoon", "evening", "night"];
}

/// <summary>
/// What a request or a scenario asks, validated: each option may be absent, so a request's own options win over its
/// scenario's and the scenario's over the defaults (<see cref="Resolve"/>).
/// </summary>
public sealed record RequestedOptions(
    int? Count, string? Scenario, RequestContext Context, string? Filter, string? Boost, IReadOnlyList<string> Exclude, double? Diversity,
    int? MaxPerCategory, int? ModelVersion = null, bool Debug = false)
{
    public const int DefaultCount = 10;
    public const int MaxCount = 100;
    public const int MaxExclude = 1000;

    /// <summary>These options over a scenario's defaults; exclusions add up (filters and boosts are combined by <see cref="Rules.ItemRules"/>).</summary>
    public RecommendationOptions Resolve(RequestedOptions? defaults) => new(
        Count ?? defaults?.Count ?? DefaultCount,
        Scenario,
        Context,
        [.. Exclude.Concat(defaults?.Exclude ?? []).Distinct(StringComparer.Ordinal)],
        Diversity ?? defaults?.Diversity ?? 0,
        MaxPerCategory ?? defaults?.MaxPerCategory,
        ModelVersion ?? defaults?.ModelVersion,
        Debug: Debug);

    /// <summary>From the query string: <c>count, scenario, country, device, timeOfDay, filter, boost, exclude (repeated or comma-separated), diversity, maxPerCategory, modelVersion, debug</c>.</summary>
    public static Validated FromQuery(IQueryCollection query) => Parse(new Fields(
        name => query.TryGetValue(name, out var values) ? string.Join(',', values.Where(v => v is not null)) : null,
        name => query.TryGetValue(name, out var values)
            ? [.. values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))]
            : null));

    /// <summary>
    /// From a JSON body with the same names, the context as an object:
    /// <c>{"count": 5, "context": {"country": "DE"}, "exclude": ["sku-1"], "diversity": 0.3}</c>.
    /// </summary>
    public static Validated FromJson(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
            return new Validated(null, new() { [""] = ["The body must be a JSON object."] });
        var errors = new Dictionary<string, string[]>();
        string? Text(JsonElement parent, string name, string path)
        {
            if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
            if (value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False) return value.ToString();
            errors[path] = [$"'{path}' must be a string, a number or true/false."];
            return null;
        }
        var context = body.TryGetProperty("context", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
        if (body.TryGetProperty("context", out c) && c.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            errors["context"] = ["'context' must be an object: {\"country\": ..., \"device\": ..., \"timeOfDay\": ...}."];
        var parsed = Parse(new Fields(
            name => name switch
            {
                "country" or "device" or "timeOfDay" => context.ValueKind == JsonValueKind.Object ? Text(context, name, "context." + name) : null,
                _ => Text(body, name, name),
            },
            name =>
            {
                if (!body.TryGetProperty(name, out var list) || list.ValueKind == JsonValueKind.Null) return null;
                if (list.ValueKind == JsonValueKind.Array && list.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
                    return [.. list.EnumerateArray().Select(e => e.GetString()!)];
                errors[name] = [$"'{name}' must be an array of item ids."];
                return null;
            }));
        foreach (var (key, value) in parsed.Errors) errors.TryAdd(key, value);
        return errors.Count == 0 ? parsed : new Validated(null, errors);
    }

    /// <summary>The options, or what was wrong with each field (as a validation problem's errors).</summary>
    public sealed record Validated(RequestedOptions? Options, Dictionary<string, string[]> Errors);

    private sealed record Fields(Func<string, string?> Text, Func<string, string[]?> List);

    private static Validated Parse(Fields fields)
    {
        var errors = new Dictionary<string, string[]>();
        int? count = null;
        if (fields.Text("count") is { } countText)
            count = int.TryParse(countText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxCount
                ? n
                : Error<int>("count", $"'count' must be a whole number from 1 to {MaxCount}; it was '{countText}'.");
        double? diversity = null;
        if (fields.Text("diversity") is { } diversityText)
            diversity = double.TryParse(diversityText, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d is >= 0 and <= 1
                ? d
                : Error<double>("diversity", $"'diversity' must be a number from 0 to 1; it was '{diversityText}'.");
        int? maxPerCategory = null;
        if (fields.Text("maxPerCategory") is { } capText)
            maxPerCategory = int.TryParse(capText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var cap) && cap is >= 1 and <= MaxCount
                ? cap
                : Error<int>("maxPerCategory", $"'maxPerCategory' must be a whole number from 1 to {MaxCount}; it was '{capText}'.");
        int? modelVersion = null;
        if (fields.Text("modelVersion") is { } versionText)
            modelVersion = int.TryParse(versionText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 1
                ? v
                : Error<int>("modelVersion", $"'modelVersion' must be a stored version's number (1 or more); it was '{versionText}'.");
        var debug = false;
        if (fields.Text("debug") is { } debugText && !bool.TryParse(debugText, out debug))
            errors["debug"] = [$"'debug' must be true or false; it was '{debugText}'."];
        var timeOfDay = Blank(fields.Text("timeOfDay"));
        if (timeOfDay is not null && !RequestContext.TimesOfDay.Contains(timeOfDay, StringComparer.OrdinalIgnoreCase))
            errors["context.timeOfDay"] = [$"'timeOfDay' must be one of {string.Join(", ", RequestContext.TimesOfDay)}; it was '{timeOfDay}'."];
        var exclude = fields.List("exclude") ?? [];
        if (exclude.Length > MaxExclude) errors["exclude"] = [$"'exclude' may list at most {MaxExclude} item ids; it listed {exclude.Length}."];
        if (errors.Count > 0) return new Validated(null, errors);
        var context = new RequestContext(Blank(fields.Text("country")), Blank(fields.Text("device")), timeOfDay?.ToLowerInvariant());
        return new Validated(new RequestedOptions(count, Blank(fields.Text("scenario")), context,
            Blank(fields.Text("filter")), Blank(fields.Text("boost")), [.. exclude.Distinct(StringComparer.Ordinal)], diversity, maxPerCategory, modelVersion, debug), errors);

        T? Error<T>(string field, string message) where T : struct
        {
            errors[field] = [message];
            return null;
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

/// <summary>
/// The options a request is served with: its own, else its scenario's, else the defaults. <see cref="ModelVersion"/>
/// names a stored version to answer with instead of the active one, null for the active one. Under an experiment,
/// <see cref="Experiment"/> is the person's arm, and a holdout arm is served <see cref="PopularityOnly"/>.
/// </summary>
public sealed record RecommendationOptions(
    int Count, string? Scenario, RequestContext Context, IReadOnlyList<string> Exclude, double Diversity, int? MaxPerCategory, int? ModelVersion = null,
    ExperimentArm? Experiment = null, bool PopularityOnly = false, bool Debug = false);
