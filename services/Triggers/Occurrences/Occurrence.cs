using System.Text.Json;

namespace Personalization.Triggers.Occurrences;

/// <summary>
/// Waiting at a step (a wait, a wait for an event, a branch that could not read the profile yet); or ended: it ran
/// to its end, or an exit criterion (the journey's goal, such as the purchase) ended it.
/// </summary>
public enum OccurrenceStatus { Waiting, Completed, Exited }

/// <summary>
/// One run of a journey for one person and key (the same cart), on the version it entered with. Its actor's id
/// names the (tenant, journey, person, key); <see cref="Number"/> counts that actor's runs, so re-entries are told apart.
/// </summary>
public sealed class Occurrence
{
    public required string ActorId { get; init; }
    public required int Number { get; init; }
    public required string TenantId { get; init; }
    public required string JourneyId { get; init; }
    public required int Version { get; init; }
    public required string UserId { get; init; }
    public required string Key { get; init; }

    /// <summary>The message that started it (an event id, a segment transition key), so a redelivery starts nothing.</summary>
    public required string EntryId { get; init; }

    /// <summary>The entry event as it was sent (with its properties), for templates.</summary>
    public required JsonElement EntryEvent { get; init; }

    public required DateTimeOffset EnteredAt { get; init; }
    public required bool Holdout { get; init; }
    public OccurrenceStatus Status { get; set; } = OccurrenceStatus.Waiting;
    public string? StepId { get; set; }
    public DateTimeOffset? StepStartedAt { get; set; }

    /// <summary>When the wait at <see cref="StepId"/> ends; null once ended.</summary>
    public DateTimeOffset? DueAt { get; set; }

    public string? EndReason { get; set; }
}
