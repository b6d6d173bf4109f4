using Personalization.Triggers.Journeys;

namespace Personalization.Triggers.Broadcasts;

/// <summary>When a broadcast runs: at its start, then every period after; only the latest time due, so a broadcast missed while the service was down runs once, late, not once per missed period.</summary>
public static class BroadcastSchedule
{
    /// <returns>The latest run time at or before <paramref name="now"/>, or null before the first.</returns>
    public static DateTimeOffset? LatestDue(BroadcastEntry entry, DateTimeOffset now)
    {
        if (entry.At > now) return null;
        if (entry.Every is not { } every) return entry.At.ToUniversalTime();
        var periods = (now - entry.At).Ticks / every.Ticks;
        return (entry.At + TimeSpan.FromTicks(periods * every.Ticks)).ToUniversalTime();
    }
}
