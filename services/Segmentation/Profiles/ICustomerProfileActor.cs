using Personalization.Contracts.Profiles;
using Dapr.Actors;
using Personalization.Contracts.V1;
using Personalization.Segmentation.Segments.Preview;

namespace Personalization.Segmentation.Profiles;

/// <summary>
/// Where the profile stands after a delivery: its stream version, the first early event still waiting, if any, and
/// for an anonymous stream, the person whose profile folded it in.
/// </summary>
public sealed record ApplyOutcome(long Version, long? FirstWaiting, string? MergedInto);

/// <summary>One person's profile, one actor per (tenant, user). Dapr actor methods take no CancellationToken.</summary>
public interface ICustomerProfileActor : IActor
{
    /// <summary>
    /// Applies the person's events in stream order, in one turn: holds those that came early, ignores those already
    /// applied. An identify or alias that links an anonymous id also folds in that anonymous stream's history, within
    /// the same turn.
    /// </summary>
    Task<ApplyOutcome> ApplyAsync(IReadOnlyList<EventRecorded> messages);

    /// <summary>
    /// Marks this anonymous stream as folded into <paramref name="personStreamKey"/>'s profile (the first person to
    /// link it keeps it), so events that still land here are passed on. That profile calls it, within its merging
    /// turn, before it reads the stream.
    /// </summary>
    Task FollowAsync(string personStreamKey);

    /// <summary>Folds in what an already merged anonymous stream gained since; does nothing before the merge.</summary>
    Task CatchUpMergedAsync(string anonymousStreamKey);

    /// <summary>The profile, or null while no event has been applied.</summary>
    Task<CustomerProfile?> GetAsync();

    /// <summary>
    /// Brings the person's segments up to now: the deadlines passed, and definitions new or changed since their last
    /// turn (judged on their whole history). The deadline reminder and the run over everyone after a change call it.
    /// </summary>
    Task CatchUpSegmentsAsync();

    /// <summary>
    /// Whether the person would be in <paramref name="draft"/> now, judged on their whole history beside the tenant's
    /// live segments; nothing is saved. False for a visitor merged into a person, and while no event has been applied.
    /// </summary>
    Task<bool> PreviewSegmentAsync(SegmentDraft draft);

    /// <summary>Forgets everything, before a rebuild replays the event log.</summary>
    Task ResetAsync();

    /// <summary>
    /// Forgets the erased person, and for <see cref="CustomerProfileActor.ErasureGrace"/> drops events received before
    /// <paramref name="erasedAt"/> that still arrive (they are no longer in the event log).
    /// </summary>
    Task EraseAsync(DateTimeOffset erasedAt);
}
