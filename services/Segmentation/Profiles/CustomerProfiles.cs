using System.Buffers.Text;
using System.Text;
using Dapr.Actors;
using Dapr.Actors.Client;
using Personalization.Contracts;

namespace Personalization.Segmentation.Profiles;

/// <summary>Finds the actor of a (tenant, user) stream.</summary>
public sealed class CustomerProfiles(IActorProxyFactory proxies)
{
    public ICustomerProfileActor For(StreamKey key) => For(key.ToString());

    public ICustomerProfileActor For(string streamKey) =>
        proxies.CreateActorProxy<ICustomerProfileActor>(ActorIdFor(streamKey), CustomerProfileActor.TypeName);

    // User ids may hold '/', '%' or spaces; base64url keeps actor ids safe in Dapr's URL paths, and reversible.
    public static ActorId ActorIdFor(string streamKey) => new(Base64Url.EncodeToString(Encoding.UTF8.GetBytes(streamKey)));
}
