using System.Text.Json;
using Personalization.Contracts.Profiles;

namespace Personalization.Triggers.Policy;

/// <summary>Times of day in a person's time zone, for quiet hours and for journeys that wait until a local time.</summary>
public static class LocalTimes
{
    /// <summary>The person's time zone: the <c>timezone</c> trait, else the one their device last reported, else null.</summary>
    public static TimeZoneInfo? ZoneOf(CustomerProfile? profile)
    {
        if (profile is null) return null;
        foreach (var trait in new[] { "timezone", "timeZone" })
            if (profile.Traits.TryGetValue(trait, out var value) && value.ValueKind == JsonValueKind.String
                && TimeZoneInfo.TryFindSystemTimeZoneById(value.GetString()!, out var zone))
                return zone;
        return profile.LastContext.TimeZone is { } id && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var context) ? context : null;
    }

    /// <summary>The first instant after <paramref name="now"/> at which it is <paramref name="time"/> in the zone.</summary>
    public static DateTimeOffset Next(TimeOnly time, TimeZoneInfo zone, DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var day = DateOnly.FromDateTime(local.DateTime);
        var at = FirstInstantAtOrAfter(day.ToDateTime(time), zone);
        return at > now ? at : FirstInstantAtOrAfter(day.AddDays(1).ToDateTime(time), zone);
    }

    /// <summary>The instant a local time names; a time skipped by a clock change means the first instant after the gap.</summary>
    public static DateTimeOffset FirstInstantAtOrAfter(DateTime local, TimeZoneInfo zone)
    {
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(1);
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }
}
