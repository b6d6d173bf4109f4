namespace Personalization.Contracts.V1;

/// <summary>
/// A person entered a segment. Published once per change, at least once on the wire: <see cref="TransitionKey"/>
/// (also the message id) names the change, so a consumer that keys its inbox on it acts on it once, whatever the
/// redeliveries, and a rebuild of the segment from the event log republishes nothing.
/// </summary>
/// <param name="TenantId">The tenant whose segment it is.</param>
/// <param name="SegmentId">The segment's id, stable across its versions.</param>
/// <param name="SegmentVersion">The definition version that decided the change.</param>
/// <param name="StreamKey">The person's stream (tenant/user:id or tenant/anonymous:id).</param>
/// <param name="UserId">The person's user id; null for an anonymous visitor.</param>
/// <param name="At">When the change happened: an event's time, or the deadline that passed (24 h after the add-to-cart).</param>
/// <param name="CausedByEventId">The event that caused the change; null when a deadline passed or a definition changed.</param>
/// <param name="TransitionNumber">Entries and exits of this person in this segment so far, this one included.</param>
/// <param name="TransitionKey">tenant/segment/user key/number (user:id or anonymous:id): the change's identity.</param>
public sealed record SegmentEntered(
    string TenantId, string SegmentId, int SegmentVersion, string StreamKey, string? UserId, DateTimeOffset At,
    Guid? CausedByEventId, int TransitionNumber, string TransitionKey);

/// <summary>A person left a segment; see <see cref="SegmentEntered"/> for the fields and the delivery promise.</summary>
public sealed record SegmentExited(
    string TenantId, string SegmentId, int SegmentVersion, string StreamKey, string? UserId, DateTimeOffset At,
    Guid? CausedByEventId, int TransitionNumber, string TransitionKey);
