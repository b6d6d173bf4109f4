using Dapr.Actors;
using Personalization.Contracts.V1;

namespace Personalization.Segmentation.Profiles;

/// <summary>Where the profile stands after a delivery: its stream version, and the first early event still waiting, if any.</summary>
public sealed record ApplyOutcome(long Version, long? FirstWaiting);

/// <summary>One person's profile, one actor per (tenant, user). Dapr actor methods take no CancellationToken.</summary>
public interface ICustomerProfileActor : IActor
{
    /// <summary>
    /// Applies the event in stream order: holds it if it came early, ignores it if already applied. An identify or
    /// alias that links an anonymous id also folds in that anonymous stream's history, within the same turn.
    /// </summary>
    Task<ApplyOutcome> ApplyAsync(EventRecorded message);

    /// <summary>The profile, or null while no event has been applied.</summary>
    Task<CustomerProfile?> GetAsync();

    /// <summary>Forgets everything, before a rebuild replays the event log.</summary>
    Task ResetAsync();

    /// <summary>
    /// Forgets the erased person, and for <see cref="CustomerProfileActor.ErasureGrace"/> drops events received before
    /// <paramref name="erasedAt"/> that still arrive (they are no longer in the event log).
    /// </summary>
    Task EraseAsync(DateTimeOffset erasedAt);
}
