using Dapr.Actors;
using Personalization.Contracts.V1;

namespace Personalization.Segmentation.Profiles;

/// <summary>One person's profile, one actor per (tenant, user). Dapr actor methods take no CancellationToken.</summary>
public interface ICustomerProfileActor : IActor
{
    /// <summary>Applies the event in stream order (holding it if it came early, ignoring it if already applied); true when the profile changed.</summary>
    Task<bool> ApplyAsync(EventRecorded message);

    /// <summary>The profile, or null while no event has been applied.</summary>
    Task<CustomerProfile?> GetAsync();

    /// <summary>Forgets everything, before a rebuild replays the event log.</summary>
    Task ResetAsync();
}
