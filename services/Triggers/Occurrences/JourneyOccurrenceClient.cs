using Dapr.Actors.Client;

namespace Personalization.Triggers.Occurrences;

/// <summary>
/// Calls an occurrence actor without remoting, a JSON body per call with the proxy factory's one set of options: a
/// remoting proxy builds new message serializers, and with them JSON type metadata, for every proxy.
/// </summary>
public sealed class JourneyOccurrenceClient(ActorProxy proxy) : IJourneyOccurrenceActor
{
    public Task EnterAsync(OccurrenceEntry entry) => proxy.InvokeMethodAsync(nameof(EnterAsync), entry);

    public Task ReceiveAsync(JourneyEvent e) => proxy.InvokeMethodAsync(nameof(ReceiveAsync), e);

    public Task WakeAsync() => proxy.InvokeMethodAsync(nameof(WakeAsync));
}
