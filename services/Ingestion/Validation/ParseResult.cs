using Personalization.Contracts.EventLog;

namespace Personalization.Ingestion.Validation;

/// <summary>A message of a well-formed batch that is not a valid call: where it was, as sent (in its format), and why.</summary>
public sealed record InvalidMessage(string Path, string Raw, IReadOnlyList<string> Reasons, MessageFormat Format = MessageFormat.Segment);

/// <summary>
/// What a request holds: its valid events, and every error found in it (keyed by JSON path). A well-formed batch
/// (<see cref="Invalid"/> not null) may be taken in part: its valid events stored, each invalid message kept aside;
/// anything else is all or nothing.
/// </summary>
public sealed record ParseResult(IReadOnlyList<EventAccepted> Events, IDictionary<string, string[]> Errors, IReadOnlyList<InvalidMessage>? Invalid = null)
{
    public bool IsValid => Errors.Count == 0;

    /// <summary>Whether the request's valid events can be stored although some of its messages are not.</summary>
    public bool CanTakeInPart => Invalid is { Count: > 0 } && Errors.Count == Invalid.Count;
}
