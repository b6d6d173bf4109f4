using System.Globalization;
using Personalization.Contracts.Conditions;

namespace Personalization.Recommendation.Decisions;

/// <summary>
/// The request's context as rules see it: what the caller says (device, country, region, city, page) and the time
/// of the request in the caller's time zone (hour 0–23, dayOfWeek such as "saturday", timeOfDay: morning from 5,
/// afternoon from 12, evening from 17, night from 22), UTC when it names none.
/// </summary>
public sealed record DecisionContext(IReadOnlyDictionary<string, string> Values)
{
    public static readonly IReadOnlyList<string> Given = ["device", "country", "region", "city", "page"];
    public static IEnumerable<string> Fields => Given.Concat(["hour", "dayOfWeek", "timeOfDay"]);

    public static bool TryGetKind(string field, out FieldKind kind)
    {
        kind = field == "hour" ? FieldKind.Number : FieldKind.Text;
        return Fields.Contains(field);
    }

    public FieldValue Read(string field) => Values.TryGetValue(field, out var value) ? FieldValue.Of(value) : FieldValue.Absent;

    /// <summary>The context of a request at <paramref name="now"/>; null with the reason when its time zone is not an IANA or Windows id.</summary>
    public static (DecisionContext? Context, string? Error) From(Func<string, string?> given, string? timeZone, DateTimeOffset now)
    {
        var zone = TimeZoneInfo.Utc;
        if (!string.IsNullOrWhiteSpace(timeZone) && !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone.Trim(), out zone!))
            return (null, $"'timeZone' must be a time zone id such as Europe/Berlin; it was '{timeZone}'.");
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["hour"] = local.Hour.ToString(CultureInfo.InvariantCulture),
            ["dayOfWeek"] = local.DayOfWeek.ToString().ToLowerInvariant(),
            ["timeOfDay"] = local.Hour switch { >= 5 and < 12 => "morning", >= 12 and < 17 => "afternoon", >= 17 and < 22 => "evening", _ => "night" },
        };
        foreach (var field in Given)
            if (given(field) is { Length: > 0 } value) values[field] = value.Trim();
        return (new DecisionContext(values), null);
    }
}
