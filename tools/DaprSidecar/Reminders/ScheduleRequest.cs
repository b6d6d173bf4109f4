using System.Text.Json;
using Personalization.DaprSidecar.Durations;
using Personalization.DaprSidecar.Http;

namespace Personalization.DaprSidecar.Reminders;

/// <summary>
/// The body of a reminder or timer registration, as sent: <c>{"dueTime","period","ttl","data","callback"}</c>.
/// The strings stay as the caller wrote them, because daprd echoes them back in timer callbacks and reminder reads.
/// </summary>
public sealed record ScheduleRequest(string DueTime, string Period, string Ttl, string? DataJson, string? Callback)
{
    /// <exception cref="JsonException">The body is not a JSON object.</exception>
    /// <summary>Reads a reminder or timer body from the request; on bad JSON, the error to answer instead.</summary>
    public static async Task<(ScheduleRequest? Request, IResult? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        try
        {
            return (Parse(buffer.ToArray()), null);
        }
        catch (JsonException ex)
        {
            return (null, DaprError.MalformedRequest(ex.Message));
        }
    }

    public static ScheduleRequest Parse(ReadOnlySpan<byte> body)
    {
        using var document = JsonDocument.Parse(body.ToArray());
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new JsonException("expected a JSON object");
        return new ScheduleRequest(
            Text(root, "dueTime"), Text(root, "period"), Text(root, "ttl"),
            root.TryGetProperty("data", out var data) && data.ValueKind != JsonValueKind.Null ? data.GetRawText() : null,
            root.TryGetProperty("callback", out var callback) && callback.ValueKind == JsonValueKind.String ? callback.GetString() : null);
    }

    private static string Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() ?? "",
            JsonValueKind.Null => "",
            _ => throw new JsonException($"'{name}' must be a string"),
        } : "";
}

/// <summary>When a reminder or timer first fires, how it repeats, and when it ends.</summary>
public sealed record Schedule(DateTimeOffset FirstFireAt, ReminderPeriod Period, DateTimeOffset? ExpiresAt)
{
    /// <summary>
    /// daprd's setReminderTimes: the due time counts from now (or is absolute), the ttl from the due time; a schedule
    /// already expired is refused. Reminders go through daprd's Scheduler, which takes no calendar parts in a period.
    /// </summary>
    /// <exception cref="FormatException">A value daprd would refuse, with its reason.</exception>
    public static Schedule Plan(ScheduleRequest request, DateTimeOffset now, bool isTimer)
    {
        var first = request.DueTime.Length > 0 ? DaprTime.Parse(request.DueTime, now) : now;
        var period = ReminderPeriod.Parse(request.Period);
        if (!isTimer && period.HasCalendarPart)
            throw new FormatException($"unsupported period format: {request.Period} (daprd's Scheduler takes no years, months or days in a reminder period)");
        DateTimeOffset? expires = request.Ttl.Length > 0 ? DaprTime.Parse(request.Ttl, first) : null;
        if (expires is { } e && (now > e || first > e))
            throw new FormatException($"{(isTimer ? "timer" : "reminder")} has already expired: dueTime: {first:O} TTL: {request.Ttl}");
        return new Schedule(first, period, expires);
    }

    /// <summary>
    /// After a fire that was due at <paramref name="scheduledAt"/>: whether it is finished, and if not when it fires next
    /// and how many repetitions remain. Ticks missed while nothing could fire (the emulator or the app was down) are
    /// skipped, so a restart fires once rather than in a burst.
    /// </summary>
    public static (bool Done, DateTimeOffset Next, int RepetitionsLeft) AfterFire(
        DateTimeOffset scheduledAt, ReminderPeriod period, int repetitionsLeft, DateTimeOffset? expiresAt, DateTimeOffset now)
    {
        if (repetitionsLeft > 0) repetitionsLeft--;
        if (repetitionsLeft == 0 || period.IsZero) return (true, scheduledAt, 0);

        var next = period.After(scheduledAt);
        if (next <= now)
        {
            if (period.HasCalendarPart)
                while (next <= now) next = period.After(next);
            else
                next += period.Time * Math.Ceiling((now - next) / period.Time + double.Epsilon);
            if (next <= now) next = period.After(next);
        }
        // daprd keeps a schedule going while its next time is strictly before the expiry.
        if (expiresAt is { } e && next >= e) return (true, next, repetitionsLeft);
        return (false, next, repetitionsLeft);
    }
}
