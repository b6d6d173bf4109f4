using System.Globalization;
using System.Text.RegularExpressions;

namespace Personalization.DaprSidecar.Durations;

/// <summary>
/// A reminder's or timer's <c>dueTime</c> or <c>ttl</c> as daprd reads it (dapr/kit time.ParseTime):
/// an ISO-8601 duration without repetitions or a Go duration, both counted from an offset, or an absolute RFC3339 time.
/// </summary>
public static partial class DaprTime
{
    public static DateTimeOffset Parse(string text, DateTimeOffset offset)
    {
        if (IsoDuration.TryParse(text, out var iso))
        {
            if (iso.Repetitions != ReminderPeriod.Unlimited)
                throw new FormatException($"'{text}': repetitions are not allowed in a due time or ttl");
            return iso.After(offset);
        }
        if (GoDuration.TryParse(text, out var duration))
            return offset + duration;
        if (TryParseRfc3339(text, out var time))
            return time;
        throw new FormatException($"unsupported time/duration format: '{text}' (use a Go duration like 0h0m5s0ms, an ISO-8601 duration like PT5S, or an RFC3339 time)");
    }

    public static bool TryParseRfc3339(string text, out DateTimeOffset time)
    {
        time = default;
        var match = Rfc3339().Match(text);
        if (!match.Success) return false;
        // .NET parses at most seven fractional digits; RFC3339Nano has nine.
        var fraction = match.Groups["fraction"].Value;
        var normalized = match.Groups["seconds"].Value
            + (fraction.Length > 0 ? "." + fraction[..Math.Min(7, fraction.Length)] : "")
            + match.Groups["zone"].Value.ToUpperInvariant();
        return DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);
    }

    /// <summary>RFC3339 with nanoseconds, the form daprd uses when it reports times.</summary>
    public static string FormatRfc3339(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture).Replace(".Z", "Z");

    [GeneratedRegex(@"^(?<seconds>\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2})(\.(?<fraction>\d+))?(?<zone>[Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();
}
