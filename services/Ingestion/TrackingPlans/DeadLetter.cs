using Personalization.Contracts.EventLog;
using Personalization.Ingestion.Validation;

namespace Personalization.Ingestion.TrackingPlans;

/// <summary>
/// An accepted request's message that could not be stored as it came, kept with its reasons instead of being
/// dropped, until an admin replays it: an event that failed its tracking plan (<see cref="Event"/>), or a message of
/// a well-formed batch that is not a valid call (<see cref="Raw"/>, as sent) or that the event store refused.
/// </summary>
public sealed record DeadLetter(
    Guid Id, string TenantId, string SourceId, int PlanVersion, EventAccepted? Event, IReadOnlyList<string> Reasons, DateTimeOffset? ReplayedAt = null,
    string? Raw = null, string? UserId = null, DateTimeOffset? ReceivedAt = null)
{
    public const int NoPlan = 0;

    public static DeadLetter OfPlan(EventAccepted e, int planVersion, IReadOnlyList<string> reasons) =>
        new(Guid.NewGuid(), e.TenantId, e.SourceId, planVersion, e, reasons, UserId: e.UserId, ReceivedAt: e.ReceivedAt);

    /// <summary>An event the store refused (a value PostgreSQL will not take), kept so nothing accepted is lost.</summary>
    public static DeadLetter OfRefusal(EventAccepted e, string reason) =>
        new(Guid.NewGuid(), e.TenantId, e.SourceId, NoPlan, e, [reason], UserId: e.UserId, ReceivedAt: e.ReceivedAt);

    public static DeadLetter OfInvalid(InvalidMessage message, EventOrigin origin) =>
        new(Guid.NewGuid(), origin.TenantId, origin.SourceId, NoPlan, null, message.Reasons, Raw: message.Raw,
            UserId: RawField(message.Raw, "userId"), ReceivedAt: origin.ReceivedAt);

    /// <summary>A text field of a message as sent, when it is one (so an erasure or an export finds the person's invalid messages).</summary>
    public static string? RawField(string? raw, string field)
    {
        if (raw is null) return null;
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(raw);
            return Personalization.Contracts.JsonFields.Text(document.RootElement, field);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
