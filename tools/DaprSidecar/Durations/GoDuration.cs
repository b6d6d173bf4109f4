using System.Globalization;
using System.Text;

namespace Personalization.DaprSidecar.Durations;

/// <summary>
/// Go's <c>time.Duration</c> text form, which daprd and the .NET SDK use on the wire
/// (<c>0h0m5s0ms</c>, <c>1m30s</c>, <c>500ms</c>). Follows Go's <c>time.ParseDuration</c> grammar:
/// an optional sign, then one or more decimal numbers each with a unit (ns, us, µs, ms, s, m, h).
/// Resolution is .NET's 100 ns tick, so nanoseconds below a tick are dropped.
/// </summary>
public static class GoDuration
{
    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"'{text}' is not a Go duration (examples: 1h30m, 0h0m5s0ms, 500ms).");

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text)) return false;

        var s = text.AsSpan();
        var negative = false;
        if (s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        // Go accepts a bare "0" and nothing else without a unit.
        if (s is "0")
            return true;
        if (s.IsEmpty) return false;

        decimal totalTicks = 0;
        while (!s.IsEmpty)
        {
            var numberLength = 0;
            var sawDigit = false;
            var sawDot = false;
            while (numberLength < s.Length && (char.IsAsciiDigit(s[numberLength]) || (s[numberLength] == '.' && !sawDot)))
            {
                sawDot |= s[numberLength] == '.';
                sawDigit |= char.IsAsciiDigit(s[numberLength]);
                numberLength++;
            }
            if (!sawDigit) return false;
            if (!decimal.TryParse(s[..numberLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
                return false;
            s = s[numberLength..];

            var unitLength = 0;
            while (unitLength < s.Length && !char.IsAsciiDigit(s[unitLength]) && s[unitLength] != '.')
                unitLength++;
            if (TicksPerUnit(s[..unitLength]) is not { } ticksPerUnit) return false;
            s = s[unitLength..];

            totalTicks += number * ticksPerUnit;
            if (totalTicks > TimeSpan.MaxValue.Ticks) return false;
        }

        var ticks = (long)decimal.Truncate(totalTicks);
        value = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }

    private static decimal? TicksPerUnit(ReadOnlySpan<char> unit) => unit switch
    {
        "ns" => 0.01m,
        "us" or "µs" or "μs" => TimeSpan.TicksPerMicrosecond,
        "ms" => TimeSpan.TicksPerMillisecond,
        "s" => TimeSpan.TicksPerSecond,
        "m" => TimeSpan.TicksPerMinute,
        "h" => TimeSpan.TicksPerHour,
        _ => null,
    };

    /// <summary>
    /// Go's <c>Duration.String()</c>: <c>1h0m0s</c>, <c>1m30s</c>, <c>1.5s</c>, <c>500ms</c>, <c>0s</c>.
    /// daprd's Scheduler reports reminder periods as <c>@every</c> plus this form.
    /// </summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero) return "0s";
        var builder = new StringBuilder();
        if (value < TimeSpan.Zero)
        {
            builder.Append('-');
            value = value.Duration();
        }

        if (value < TimeSpan.FromSeconds(1))
        {
            // Below a second Go picks the largest unit that keeps an integer part: ms, µs or ns.
            var nanoseconds = value.Ticks * 100m;
            var (amount, unit) = nanoseconds >= 1_000_000 ? (nanoseconds / 1_000_000, "ms")
                : nanoseconds >= 1_000 ? (nanoseconds / 1_000, "µs")
                : (nanoseconds, "ns");
            return builder.Append(amount.ToString("0.#########", CultureInfo.InvariantCulture)).Append(unit).ToString();
        }

        var hours = (long)value.TotalHours;
        var minutes = value.Minutes;
        var seconds = value.Seconds + (value.Ticks % TimeSpan.TicksPerSecond) / (decimal)TimeSpan.TicksPerSecond;
        if (hours > 0) builder.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        if (hours > 0 || minutes > 0) builder.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        builder.Append(seconds.ToString("0.#########", CultureInfo.InvariantCulture)).Append('s');
        return builder.ToString();
    }
}
