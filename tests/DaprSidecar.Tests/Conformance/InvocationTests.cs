using Dapr;
using Dapr.Actors;
using Dapr.Actors.Client;
using Personalization.DaprSidecar.Tests.Conformance.TestApp;
using static Personalization.DaprSidecar.Tests.Conformance.ConformanceEnvironment;

namespace Personalization.DaprSidecar.Tests.Conformance;

/// <summary>Remoting (X-DaprRequestHeader, DataContract body) and non-remoting (JSON) calls through the real SDK client.</summary>
public class InvocationTests
{
    [Test]
    public async Task Remoting_call_returns_the_actor_result()
    {
        var id = NewId();
        Assert.That(await Probe(id).EchoAsync("hello"), Is.EqualTo($"{id} says hello"));
    }

    [Test]
    public async Task Non_remoting_call_returns_the_actor_result()
    {
        var id = NewId();
        var proxy = ActorProxy.Create(new ActorId(id), ActorTypes.Probe, ProxyOptions);
        Assert.That(await proxy.InvokeMethodAsync<string, string>("EchoAsync", "hello"), Is.EqualTo($"{id} says hello"));
    }

    [Test]
    public void Actor_exception_surfaces_in_a_remoting_client()
    {
        var ex = Assert.ThrowsAsync<ActorMethodInvocationException>(() => Probe(NewId()).FailAsync("out of stock"));
        Assert.That(ex!.Message + ex.InnerException?.Message, Does.Contain("InvalidOperationException"));
        Assert.That(ex.InnerException?.Message, Does.Contain("out of stock"));
    }

    [Test]
    public void Actor_exception_surfaces_in_a_non_remoting_client()
    {
        var proxy = ActorProxy.Create(new ActorId(NewId()), ActorTypes.Probe, ProxyOptions);
        var ex = Assert.ThrowsAsync<DaprApiException>(() => proxy.InvokeMethodAsync<string>("FailAsync", "out of stock"));
        Assert.That(ex!.ErrorCode, Is.EqualTo("ERR_ACTOR_INVOKE_METHOD"));
        Assert.That(ex.Message, Does.Contain("error from actor service: (500)"));
    }

    [Test]
    public void Calling_a_method_the_actor_lacks_fails_clearly()
    {
        var proxy = ActorProxy.Create(new ActorId(NewId()), ActorTypes.Probe, ProxyOptions);
        var ex = Assert.ThrowsAsync<DaprApiException>(() => proxy.InvokeMethodAsync<string, string>("NoSuchMethod", "x"));
        Assert.That(ex!.ErrorCode, Is.EqualTo("ERR_ACTOR_INVOKE_METHOD"));
    }

    [Test]
    public async Task Remoting_with_json_serialization_works_including_exceptions()
    {
        var id = NewId();
        var options = ProxyOptions;
        options.UseJsonSerialization = true;
        var proxy = ActorProxy.Create<IProbeActor>(new ActorId(id), ActorTypes.JsonProbe, options);

        Assert.That(await proxy.EchoAsync("json"), Is.EqualTo($"{id} says json"));
        var ex = Assert.ThrowsAsync<ActorMethodInvocationException>(() => proxy.FailAsync("out of stock"));
        Assert.That(ex!.InnerException?.Message, Does.Contain("out of stock"));
    }
}
