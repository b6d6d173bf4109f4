namespace Personalization.DaprSidecar.Durations;

/// <summary>
/// ISO-8601 durations with an optional repetition prefix, the subset daprd accepts (dapr/kit time.ParseISO8601Duration):
/// <c>[R&lt;n&gt;/]P[nY][nM][nW][nD][T[nH][nM][nS]]</c> with whole numbers only. Weeks count as seven days.
/// </summary>
public static class IsoDuration
{
    public static bool TryParse(string? text, out ReminderPeriod period)
    {
        period = ReminderPeriod.None;
        if (text is null || text.Length < 2) return false;

        var s = text.AsSpan();
        var repetitions = ReminderPeriod.Unlimited;
        if (s[0] == 'R')
        {
            var slash = s.IndexOf('/');
            var digits = slash < 0 ? s[1..] : s[1..slash];
            if (digits.IsEmpty || !IsDigits(digits) || !int.TryParse(digits, out repetitions)) return false;
            if (slash < 0 || slash == s.Length - 1)
            {
                // "R5" or "R5/": repetitions without a duration, accepted by daprd and meaning a zero period.
                period = ReminderPeriod.None with { Repetitions = repetitions };
                return true;
            }
            s = s[(slash + 1)..];
        }

        if (s.IsEmpty || s[0] != 'P') return false;
        s = s[1..];

        int years = 0, months = 0, days = 0;
        var time = TimeSpan.Zero;
        var inTimePart = false;
        var start = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsAsciiDigit(c)) continue;
            if (c == 'T')
            {
                if (inTimePart || start != i) return false;
                inTimePart = true;
                start = i + 1;
                continue;
            }

            if (start == i || !int.TryParse(s[start..i], out var n)) return false;
            switch (c)
            {
                case 'Y' when !inTimePart: years = n; break;
                case 'M' when !inTimePart: months = n; break;
                case 'W' when !inTimePart: days += n * 7; break;
                case 'D' when !inTimePart: days += n; break;
                case 'H' when inTimePart: time += TimeSpan.FromHours(n); break;
                case 'M' when inTimePart: time += TimeSpan.FromMinutes(n); break;
                case 'S' when inTimePart: time += TimeSpan.FromSeconds(n); break;
                default: return false;
            }
            start = i + 1;
        }
        // Trailing digits without a designator ("PT10") are not a duration.
        if (start != s.Length) return false;

        period = new ReminderPeriod(years, months, days, time, repetitions);
        return true;
    }

    private static bool IsDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
            if (!char.IsAsciiDigit(c)) return false;
        return true;
    }
}
