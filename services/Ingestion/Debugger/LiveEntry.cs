using System.Text.Json;

namespace Personalization.Ingestion.Debugger;

/// <summary>
/// What became of one message of a source, as the live debugger shows it. <c>Kind</c>: <c>stored</c> (new, in the
/// event log at <see cref="Sequence"/>), <c>duplicate</c> (its message id was stored before, so it was skipped) or
/// <c>deadLettered</c> (with its <see cref="Reasons"/>; replayable by <see cref="DeadLetterId"/>).
/// <see cref="Payload"/> is the message as sent, where it is kept (stored events and dead letters).
/// </summary>
/// <param name="Key">Unique per entry, so a page that reconnects can drop what it has shown already.</param>
public sealed record LiveEntry(
    string Key, string Kind, DateTimeOffset ReceivedAt, string? MessageId, string? Type, string? Name, string? UserId, string? AnonymousId,
    IReadOnlyList<string> Flags, JsonElement? Payload, long? Sequence = null, Guid? DeadLetterId = null,
    IReadOnlyList<string>? Reasons = null, DateTimeOffset? ReplayedAt = null)
{
    public const string Stored = "stored";
    public const string Duplicate = "duplicate";
    public const string DeadLettered = "deadLettered";
}
