using System.Globalization;
using System.Xml;

namespace Personalization.Contracts;

/// <summary>Window lengths as people write them: <c>30m</c>, <c>24h</c>, <c>7d</c>, <c>2w</c>, or ISO 8601 (<c>PT24H</c>, <c>P7D</c>).</summary>
public static class Durations
{
    public static readonly TimeSpan Longest = TimeSpan.FromDays(3660);

    public const string Rule = "a positive duration of at most 3660 days such as \"30m\", \"24h\", \"7d\", \"2w\" or ISO 8601 \"PT24H\"";

    public static TimeSpan? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        TimeSpan? span = text[0] is 'P' or 'p' ? Iso(text) : Short(text);
        return span is { } s && s > TimeSpan.Zero && s <= Longest ? s : null;
    }

    /// <summary>The shortest way to write the duration back, in the short form.</summary>
    public static string Format(TimeSpan span) =>
        span.Ticks % TimeSpan.TicksPerDay == 0 ? $"{span.Ticks / TimeSpan.TicksPerDay}d"
        : span.Ticks % TimeSpan.TicksPerHour == 0 ? $"{span.Ticks / TimeSpan.TicksPerHour}h"
        : span.Ticks % TimeSpan.TicksPerMinute == 0 ? $"{span.Ticks / TimeSpan.TicksPerMinute}m"
        : $"{span.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s";

    private static TimeSpan? Iso(string text)
    {
        try { return XmlConvert.ToTimeSpan(text.ToUpperInvariant()); }
        catch (FormatException) { return null; }
        catch (OverflowException) { return null; }
    }

    private static TimeSpan? Short(string text)
    {
        var unit = text[^1] switch
        {
            's' => TimeSpan.TicksPerSecond,
            'm' => TimeSpan.TicksPerMinute,
            'h' => TimeSpan.TicksPerHour,
            'd' => TimeSpan.TicksPerDay,
            'w' => TimeSpan.TicksPerDay * 7,
            _ => 0L,
        };
        return unit > 0 && double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var count)
               && count * unit < TimeSpan.MaxValue.Ticks
            ? TimeSpan.FromTicks((long)(count * unit))
            : null;
    }
}
