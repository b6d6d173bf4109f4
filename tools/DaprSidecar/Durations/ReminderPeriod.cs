namespace Personalization.DaprSidecar.Durations;

/// <summary>
/// How often a reminder or timer repeats: an ISO-8601 duration with optional repetitions (<c>R3/PT10S</c>,
/// <c>P1D</c>, <c>PT1H30M</c>) or a Go duration (<c>0h0m10s0ms</c>), as dapr/kit's <c>ParseDuration</c> reads them.
/// Calendar parts (years, months, days) are kept apart from the exact time part, so adding a period follows the calendar.
/// </summary>
/// <param name="Repetitions">How many times it fires in all; -1 means until deleted or expired.</param>
public readonly record struct ReminderPeriod(int Years, int Months, int Days, TimeSpan Time, int Repetitions)
{
    public const int Unlimited = -1;

    /// <summary>No period: fires once.</summary>
    public static ReminderPeriod None { get; } = new(0, 0, 0, TimeSpan.Zero, Unlimited);

    public bool HasCalendarPart => Years != 0 || Months != 0 || Days != 0;

    public bool IsZero => !HasCalendarPart && Time == TimeSpan.Zero;

    /// <summary>Whether anything fires after the first time (daprd: repeats left and a non-zero period).</summary>
    public bool Repeats => Repetitions != 0 && !IsZero;

    public DateTimeOffset After(DateTimeOffset time) => time.AddYears(Years).AddMonths(Months).AddDays(Days).Add(Time);

    /// <summary>An empty text means no period. Zero repetitions is an error, as in daprd.</summary>
    public static ReminderPeriod Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) return None;
        var period = IsoDuration.TryParse(text, out var iso) ? iso
            : GoDuration.TryParse(text, out var go) ? new ReminderPeriod(0, 0, 0, go, Unlimited)
            : throw new FormatException($"unsupported duration format: '{text}' (use an ISO-8601 period like R3/PT10S or PT1H30M, or a Go duration like 1m30s)");
        if (period.Repetitions == 0)
            throw new FormatException($"period '{text}' has zero repetitions");
        return period;
    }
}
