using Dapr.Actors;
using Dapr.Actors.Client;
using Personalization.Contracts;
using Personalization.Contracts.Profiles;

namespace Personalization.Segmentation.Profiles;

/// <summary>Finds the actor of a (tenant, user) stream.</summary>
public sealed class CustomerProfiles(IActorProxyFactory proxies)
{
    public ICustomerProfileActor For(StreamKey key) => For(key.ToString());

    public ICustomerProfileActor For(string streamKey) =>
        new CustomerProfileClient(proxies.Create(ActorIdFor(streamKey), CustomerProfileActor.TypeName));

    public static ActorId ActorIdFor(string streamKey) => new(ProfileActors.IdFor(streamKey));
}
