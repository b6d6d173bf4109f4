using Dapr;
using Dapr.Actors;
using Dapr.Actors.Runtime;

namespace Personalization.DaprSidecar.Tests.Conformance.TestApp;

/// <summary>
/// A calls B which calls A...: the call chain that reentrancy is about. A refused call is reported in the path
/// (<c>refused:ERROR_CODE</c>) by the actor that made it, so the client sees what the emulator answered.
/// </summary>
public sealed class PingPongActor(ActorHost host) : Actor(host), IPingPongActor
{
    public async Task<string> PingAsync(string partnerId, int hops)
    {
        if (hops == 0) return Id.GetId();
        var partner = ProxyFactory.CreateActorProxy<IPingPongActor>(new ActorId(partnerId), Host.ActorTypeInfo.ActorTypeName);
        try
        {
            return Id.GetId() + ">" + await partner.PingAsync(Id.GetId(), hops - 1);
        }
        catch (DaprApiException ex)
        {
            return $"{Id.GetId()}>refused:{ex.ErrorCode}";
        }
    }
}
