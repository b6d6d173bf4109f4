using System.Buffers;
using System.Text.Json;
using Personalization.DaprSidecar.Durations;

namespace Personalization.DaprSidecar.Reminders;

/// <summary>
/// The JSON bodies daprd sends and returns for reminders and timers (pkg/actors/api ReminderResponse, TimerResponse,
/// and the HTTP GET reminder handler). <c>data</c> is passed through as the caller registered it (the .NET SDK sends a
/// base64 string) and left out when there is none.
/// </summary>
public static class CallbackBodies
{
    /// <summary>Reminder fire: daprd 1.15+ (Scheduler) sends empty <c>dueTime</c> and <c>period</c>.</summary>
    public static byte[] ReminderFire(string? dataJson) => Write(w =>
    {
        WriteData(w, dataJson);
        w.WriteString("dueTime", "");
        w.WriteString("period", "");
    });

    /// <summary>Timer fire: the registration's own strings, which the .NET runtime parses again.</summary>
    public static byte[] TimerFire(string callback, string? dataJson, string dueTime, string period) => Write(w =>
    {
        WriteData(w, dataJson);
        w.WriteString("callback", callback);
        w.WriteString("dueTime", dueTime);
        w.WriteString("period", period);
    });

    /// <summary>
    /// GET reminder, as daprd 1.15+ answers from the Scheduler: the period comes back as <c>@every &lt;Go duration&gt;</c>
    /// (without repetitions), and <c>ttl</c> only when it was registered as an RFC3339 time.
    /// </summary>
    public static byte[] ReminderRead(StoredReminder reminder) => Write(w =>
    {
        w.WriteString("actorID", reminder.Actor.Id);
        w.WriteString("actorType", reminder.Actor.Type);
        WriteData(w, reminder.DataJson);
        if (reminder.DueTime.Length > 0) w.WriteString("dueTime", reminder.DueTime);
        if (reminder.Period.Length > 0)
        {
            var period = ReminderPeriod.Parse(reminder.Period);
            if (!period.IsZero) w.WriteString("period", "@every " + GoDuration.Format(period.Time));
        }
        if (reminder.Ttl.Length > 0 && DaprTime.TryParseRfc3339(reminder.Ttl, out var ttl))
            w.WriteString("ttl", DaprTime.FormatRfc3339(ttl));
    });

    private static void WriteData(Utf8JsonWriter writer, string? dataJson)
    {
        if (dataJson is null) return;
        writer.WritePropertyName("data");
        writer.WriteRawValue(dataJson, skipInputValidation: false);
    }

    private static byte[] Write(Action<Utf8JsonWriter> properties)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            properties(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
