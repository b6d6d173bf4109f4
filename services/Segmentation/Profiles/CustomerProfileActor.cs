using Dapr.Actors.Runtime;
using Personalization.Contracts.V1;

namespace Personalization.Segmentation.Profiles;

/// <summary>
/// Holds a person's profile as actor state. Dapr gives each actor one turn at a time, and the runtime saves the
/// changed state keys in one transaction when a method returns, so the profile and its stream position move together.
/// </summary>
[Actor(TypeName = TypeName)]
public sealed class CustomerProfileActor(ActorHost host) : Actor(host), ICustomerProfileActor
{
    public const string TypeName = "CustomerProfile";

    private const string ProfileKey = "profile";
    private const string PositionKey = "stream-position";

    public async Task<ApplyOutcome> ApplyAsync(EventRecorded message)
    {
        var position = await StateManager.GetOrAddStateAsync(PositionKey, new StreamPosition());
        var waitingBefore = position.Waiting.Count;
        var ready = position.Accept(message);
        var outcome = new ApplyOutcome(position.Version, position.Waiting.Count > 0 ? position.Waiting.Keys.First() : null);
        if (ready.Count == 0 && position.Waiting.Count == waitingBefore)
            return outcome;

        if (ready.Count > 0)
        {
            var profile = await StateManager.GetOrAddStateAsync(ProfileKey, new CustomerProfile());
            foreach (var next in ready)
                CustomerProfileProjection.Apply(profile, next);
            await StateManager.SetStateAsync(ProfileKey, profile);
        }
        await StateManager.SetStateAsync(PositionKey, position);
        return outcome;
    }

    public async Task<CustomerProfile?> GetAsync()
    {
        var profile = await StateManager.TryGetStateAsync<CustomerProfile>(ProfileKey);
        return profile.HasValue ? profile.Value : null;
    }

    public async Task ResetAsync()
    {
        await StateManager.TryRemoveStateAsync(ProfileKey);
        await StateManager.TryRemoveStateAsync(PositionKey);
    }
}
