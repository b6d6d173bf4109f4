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
    string? Raw = null, string? UserId = null, DateTimeOffset? ReceivedAt = null, MessageFormat Format = MessageFormat.Segment)
{
    public const int NoPlan = 0;

    public static DeadLetter OfPlan(EventAccepted e, int planVersion, IReadOnlyList<string> reasons) =>
        new(Guid.NewGuid(), e.TenantId, e.SourceId, planVersion, e, reasons, UserId: e.UserId, ReceivedAt: e.ReceivedAt);

    /// <summary>An event the store refused (a value PostgreSQL will not take), kept so nothing accepted is lost.</summary>
    public static DeadLetter OfRefusal(EventAccepted e, string reason) =>
        new(Guid.NewGuid(), e.TenantId, e.SourceId, NoPlan, e, [reason], UserId: e.UserId, ReceivedAt: e.ReceivedAt);

    public static DeadLetter OfInvalid(InvalidMessage message, EventOrigin origin) =>
        new(Guid.NewGuid(), origin.TenantId, origin.SourceId, NoPlan, null, message.Reasons, Raw: message.Raw,
            // Kept so an erasure or an export finds the person's invalid messages.
            UserId: StoredMessages.Summarize(message.Raw, message.Format).UserId, ReceivedAt: origin.ReceivedAt, Format: message.Format);
}
