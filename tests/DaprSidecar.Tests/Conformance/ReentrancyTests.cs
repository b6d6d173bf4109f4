using System.Diagnostics;
using Dapr.Actors;
using Dapr.Actors.Client;
using Personalization.DaprSidecar.Tests.Conformance.TestApp;
using static Personalization.DaprSidecar.Tests.Conformance.ConformanceEnvironment;

namespace Personalization.DaprSidecar.Tests.Conformance;

/// <summary>A calls B which calls back A: allowed only when the app's config turns reentrancy on for the type.</summary>
public class ReentrancyTests
{
    private static IPingPongActor PingPong(string type, string id) => ActorProxy.Create<IPingPongActor>(new ActorId(id), type, ProxyOptions);

    [Test]
    public async Task Call_chain_back_to_a_reentrant_actor_enters()
    {
        var (a, b) = ("a" + NewId(), "b" + NewId());
        Assert.That(await PingPong(ActorTypes.ReentrantPingPong, a).PingAsync(b, 2), Is.EqualTo($"{a}>{b}>{a}"));
    }

    [Test]
    public async Task Call_chain_back_to_a_non_reentrant_actor_is_refused()
    {
        var (a, b) = ("a" + NewId(), "b" + NewId());
        var clock = Stopwatch.StartNew();

        var path = await PingPong(ActorTypes.PingPong, a).PingAsync(b, 2);

        Assert.That(path, Is.EqualTo($"{a}>{b}>refused:ERR_ACTOR_INVOKE_METHOD"), "B's call back into A waited behind A's own turn");
        Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(TurnTimeout - TimeSpan.FromMilliseconds(50)));
        Assert.That(await PingPong(ActorTypes.PingPong, a).PingAsync(b, 1), Is.EqualTo($"{a}>{b}"), "A takes calls again afterwards");
    }

    [Test]
    public async Task Reentrant_chain_deeper_than_the_stack_limit_is_refused()
    {
        var (a, b) = ("a" + NewId(), "b" + NewId());
        Assert.That(ActorTypes.ReentrantMaxStackDepth, Is.EqualTo(2), "the paths below assume a limit of 2");

        Assert.That(await PingPong(ActorTypes.ReentrantPingPong, a).PingAsync(b, 3), Is.EqualTo($"{a}>{b}>{a}>{b}"));
        Assert.That(await PingPong(ActorTypes.ReentrantPingPong, a).PingAsync(b, 4), Is.EqualTo($"{a}>{b}>{a}>{b}>refused:ERR_ACTOR_STACK_DEPTH"));
    }
}
