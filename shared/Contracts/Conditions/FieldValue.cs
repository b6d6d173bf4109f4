using System.Globalization;
using System.Text.Json;

namespace Personalization.Contracts.Conditions;

/// <summary>
/// A trait's or profile field's value as conditions see it: absent, or text, a number, an instant, a list of texts.
/// A trait is read leniently, as publishers send them: a quoted number compares as a number, an ISO date as an instant.
/// </summary>
public readonly record struct FieldValue(bool Present, string? Text = null, double? Number = null, DateTimeOffset? Instant = null, IReadOnlyList<string>? Items = null)
{
    public static readonly FieldValue Absent = new(false);

    public static FieldValue Of(string? text) => text is null ? Absent : new(true, text, ParseNumber(text), ParseInstant(text));

    public static FieldValue Of(double number) => new(true, number.ToString(CultureInfo.InvariantCulture), number);

    public static FieldValue Of(DateTimeOffset? instant) => instant is { } at ? new(true, at.ToString("O", CultureInfo.InvariantCulture), Instant: at) : Absent;

    public static FieldValue Of(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.String => Of(json.GetString()),
        JsonValueKind.Number => new(true, json.GetRawText(), json.GetDouble()),
        JsonValueKind.True or JsonValueKind.False => new(true, json.GetRawText()),
        JsonValueKind.Array => new(true, Items: json.EnumerateArray().Select(Scalar).OfType<string>().ToList()),
        JsonValueKind.Object => new(true),
        _ => Absent,
    };

    /// <summary>A scalar JSON value as text (numbers as written, booleans as true/false); null for anything else.</summary>
    public static string? Scalar(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.String => json.GetString(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => json.GetRawText(),
        _ => null,
    };

    private static double? ParseNumber(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;

    private static DateTimeOffset? ParseInstant(string text) =>
        text.Length >= 10 && char.IsAsciiDigit(text[0])
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}

/// <summary>How one comparison judges a value. A value of the wrong kind fails the test; it is never an error.</summary>
public static class Comparisons
{
    public static bool AllHold(IReadOnlyList<Comparison> comparisons, FieldValue value)
    {
        foreach (var comparison in comparisons)
            if (!Holds(comparison, value)) return false;
        return true;
    }

    public static bool Holds(Comparison c, FieldValue v) => c.Operator switch
    {
        Operator.Exists => v.Present == (c.Operand.ValueKind == JsonValueKind.True),
        Operator.Equals => v.Present && SameAs(c.Operand, v),
        Operator.NotEquals => !v.Present || !SameAs(c.Operand, v),
        Operator.In => v.Present && c.Operand.EnumerateArray().Any(option => SameAs(option, v)),
        Operator.Contains => v.Items is { } items
            ? items.Contains(FieldValue.Scalar(c.Operand), StringComparer.Ordinal)
            : v.Text is { } text && text.Contains(c.Operand.GetString()!, StringComparison.Ordinal),
        Operator.Gt => v.Number > c.Number,
        Operator.Gte => v.Number >= c.Number,
        Operator.Lt => v.Number < c.Number,
        Operator.Lte => v.Number <= c.Number,
        Operator.Before => v.Instant < c.Instant,
        Operator.After => v.Instant > c.Instant,
        _ => false,
    };

    /// <summary>Numbers compare by value (1 equals 1.0 and "1"); everything else by its text, case and all.</summary>
    private static bool SameAs(JsonElement operand, FieldValue v) =>
        operand.ValueKind == JsonValueKind.Number
            ? v.Number == operand.GetDouble()
            : FieldValue.Scalar(operand) is { } text && (v.Text == text || (v.Items?.Contains(text, StringComparer.Ordinal) ?? false));
}
