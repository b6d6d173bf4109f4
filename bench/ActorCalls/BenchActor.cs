using Dapr.Actors;
using Dapr.Actors.Runtime;

namespace Personalization.ActorCalls;

public interface IBenchActor : IActor
{
    Task<int> PingAsync(int value);
}

/// <summary>Does nothing but answer, so the numbers are the sidecar round trip and the runtime's dispatch.</summary>
public sealed class BenchActor(ActorHost host) : Actor(host), IBenchActor
{
    public Task<int> PingAsync(int value) => Task.FromResult(value + 1);
}
