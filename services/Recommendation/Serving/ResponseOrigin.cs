using System.Globalization;

namespace Personalization.Recommendation.Serving;

/// <summary>
/// What made a response, carried inside its <c>recommendationId</c> (<c>{uuid}.{modelVersion}.{scenario}.{experiment}.{variant}</c>,
/// empty parts for none). Impressions and clicks bring the id back as tracking events, so attribution reads the
/// scenario, model version and variant from the event log alone and a rebuild from the log gives the same figures.
/// Names never hold a '.', so the parts split cleanly.
/// </summary>
public sealed record ResponseOrigin(int? ModelVersion, string? Scenario, string? Experiment, string? Variant)
{
    public static readonly ResponseOrigin Unknown = new(null, null, null, null);

    public string NewId() =>
        string.Join('.', Guid.CreateVersion7().ToString("N"), ModelVersion?.ToString(CultureInfo.InvariantCulture), Scenario, Experiment, Variant);

    /// <summary>The origin an id names; <see cref="Unknown"/> for an id of another shape (an older plain uuid, or a made-up one).</summary>
    public static ResponseOrigin Of(string recommendationId)
    {
        var parts = recommendationId.Split('.');
        if (parts is not [{ Length: 32 }, var version, var scenario, var experiment, var variant]) return Unknown;
        return new ResponseOrigin(
            int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null,
            Part(scenario), Part(experiment), Part(variant));
    }

    private static string? Part(string text) => text.Length is > 0 and <= 64 ? text : null;
}
