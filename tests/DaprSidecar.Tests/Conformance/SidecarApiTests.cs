using System.Net;
using System.Security.Authentication;
using Dapr;
using Dapr.Actors;
using Dapr.Actors.Client;
using Personalization.DaprSidecar.Tests.Conformance.TestApp;
using static Personalization.DaprSidecar.Tests.Conformance.ConformanceEnvironment;

namespace Personalization.DaprSidecar.Tests.Conformance;

/// <summary>Tokens, health, discovery and what the emulator does not do.</summary>
public class SidecarApiTests
{
    [Test]
    public async Task Call_with_a_wrong_token_is_rejected()
    {
        var options = ProxyOptions;
        options.DaprApiToken = "wrong-token";
        var proxy = ActorProxy.Create<IProbeActor>(new ActorId(NewId()), ActorTypes.Probe, options);
        Assert.ThrowsAsync<AuthenticationException>(() => proxy.EchoAsync("hi"), "the SDK's answer to a 401");

        using var anonymous = new HttpClient { BaseAddress = Sidecar.Address };
        using var refused = await anonymous.PutAsync($"/v1.0/actors/{ActorTypes.Probe}/{NewId()}/method/EchoAsync", new StringContent("\"hi\""));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("invalid api token"));

        using var health = await anonymous.GetAsync("/v1.0/healthz");
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), "health checks need no token, as in daprd");
    }

    [Test]
    public async Task Calls_to_the_app_carry_the_app_token()
    {
        await Probe(NewId()).EchoAsync("hi");
        Assert.That(App.RejectedRequests, Is.Empty, "requests the test app refused for a missing or wrong app token");
    }

    [Test]
    public async Task Health_answers_even_with_the_sdk_double_slash()
    {
        using var http = SidecarHttp();
        // The SDK joins an endpoint ending in / with a relative path, so the path starts with //.
        using var health = await http.GetAsync($"{Sidecar.Address}/v1.0/healthz");
        using var outbound = await http.GetAsync("/v1.0/healthz/outbound");
        Assert.That((health.StatusCode, outbound.StatusCode), Is.EqualTo((HttpStatusCode.NoContent, HttpStatusCode.NoContent)));
    }

    [TestCase("GET", "/v1.0/state/statestore/cart-1", "the state store API")]
    [TestCase("POST", "/v1.0/publish/pubsub/orders", "pub/sub")]
    [TestCase("POST", "/v1.0/invoke/catalog/method/items", "service invocation")]
    [TestCase("GET", "/v1.0-alpha1/jobs/nightly", "the jobs API")]
    public async Task Unsupported_dapr_api_gets_501_naming_it(string method, string path, string named)
    {
        using var http = SidecarHttp();
        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}") });
        var error = await StateTests.ReadErrorAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotImplemented));
        Assert.That(error.ErrorCode, Is.EqualTo("ERR_API_UNIMPLEMENTED"));
        Assert.That(error.Message, Does.Contain(named).And.Contain(path));
    }

    [Test]
    public async Task Call_for_a_type_no_app_hosts_fails_until_its_app_starts()
    {
        var id = NewId();
        var ex = Assert.ThrowsAsync<DaprApiException>(() => Probe(id, ActorTypes.LateProbe).EchoAsync("early"));
        Assert.That(ex!.ErrorCode, Is.EqualTo("ERR_ACTOR_NO_ADDRESS"));
        Assert.That(ex.Message, Does.Contain(ActorTypes.LateProbe).And.Contain(LateAppAddress.ToString()));

        await using var lateApp = await ActorTestApp.StartAsync(LateAppAddress, Sidecar.Address, ApiToken, AppToken, ActorTypes.RegisterLate);
        Assert.That(await Probe(id, ActorTypes.LateProbe).EchoAsync("late"), Is.EqualTo($"{id} says late"));
    }
}
