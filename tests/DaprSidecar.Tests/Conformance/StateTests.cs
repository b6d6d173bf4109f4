using System.Net;
using System.Text;
using System.Text.Json;
using Personalization.DaprSidecar.Tests.Conformance.TestApp;
using Personalization.TestSupport;
using static Personalization.DaprSidecar.Tests.Conformance.ConformanceEnvironment;

namespace Personalization.DaprSidecar.Tests.Conformance;

public class StateTests
{
    [Test]
    public async Task State_survives_deactivation_and_an_emulator_restart()
    {
        var id = NewId();
        await Probe(id, ActorTypes.ShortLivedProbe).SetValueAsync("kept");

        // The type's idle timeout is short: the emulator deactivates the actor, and the app drops its instance and cache.
        await Eventually.ReturnsAsync(() => Task.FromResult(ActorProbe.For(id).Deactivations), n => n == 1, TimeSpan.FromSeconds(5), "deactivation");
        await Sidecar.RestartAsync();

        Assert.That(await Probe(id, ActorTypes.ShortLivedProbe).GetValueAsync(), Is.EqualTo("kept"));
        Assert.That(ActorProbe.For(id).Activations, Is.EqualTo(2), "the value was read by a new instance, from the store");
    }

    [Test]
    public async Task Missing_state_reads_as_no_content()
    {
        var id = NewId();
        Assert.That(await Probe(id).GetValueAsync(), Is.Null);
        using var http = SidecarHttp();
        using var response = await http.GetAsync($"/v1.0/actors/{ActorTypes.Probe}/{id}/state/value");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
    }

    [Test]
    public async Task A_state_transaction_asking_for_a_ttl_is_refused_whole()
    {
        var id = NewId();
        await Probe(id).SetValueAsync("before");
        var body = """
            [{"operation":"upsert","request":{"key":"value","value":"after"}},
             {"operation":"upsert","request":{"key":"other","value":1,"metadata":{"ttlInSeconds":"60"}}}]
            """;

        using var http = SidecarHttp();
        using var response = await http.PutAsync($"/v1.0/actors/{ActorTypes.Probe}/{id}/state", new StringContent(body, Encoding.UTF8, "text/plain"));

        var error = await ReadErrorAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(error.ErrorCode, Is.EqualTo("ERR_ACTOR_STATE_TRANSACTION_SAVE"));
        Assert.That(error.Message, Does.Contain("ttlInSeconds"));
        Assert.That(await Probe(id).GetValueAsync(), Is.EqualTo("before"), "no part of the transaction was applied");
    }

    [Test]
    public async Task A_transaction_applies_its_operations_in_order_so_the_last_on_a_key_decides_it()
    {
        var id = NewId();
        await Probe(id).SetValueAsync("active");
        using var http = SidecarHttp();
        var state = $"/v1.0/actors/{ActorTypes.Probe}/{id}/state";

        using (var first = await http.PutAsync(state, new StringContent("""
            [{"operation":"upsert","request":{"key":"a","value":1}},
             {"operation":"upsert","request":{"key":"b","value":{"n":1}}},
             {"operation":"delete","request":{"key":"a"}},
             {"operation":"upsert","request":{"key":"b","value":{"n":2}}},
             {"operation":"delete","request":{"key":"c"}},
             {"operation":"upsert","request":{"key":"c","value":"kept"}}]
            """)))
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await ReadAsync("a"), Is.Null, "set then deleted");
        Assert.That(await ReadAsync("b"), Is.EqualTo("""{"n":2}"""));
        Assert.That(await ReadAsync("c"), Is.EqualTo("\"kept\""), "deleted then set");

        using (var second = await http.PutAsync(state, new StringContent("""[{"operation":"delete","request":{"key":"b"}},{"operation":"delete","request":{"key":"c"}}]""")))
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await ReadAsync("b"), await ReadAsync("c")), Is.EqualTo(((string?)null, (string?)null)), "a transaction of deletes only");

        async Task<string?> ReadAsync(string key)
        {
            using var response = await http.GetAsync($"{state}/{key}");
            return response.StatusCode == HttpStatusCode.NoContent ? null : await response.Content.ReadAsStringAsync();
        }
    }

    [Test]
    public async Task Saving_state_of_an_actor_that_is_not_active_is_refused()
    {
        using var http = SidecarHttp();
        using var response = await http.PutAsync($"/v1.0/actors/{ActorTypes.Probe}/{NewId()}/state",
            new StringContent("""[{"operation":"upsert","request":{"key":"k","value":1}}]"""));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await ReadErrorAsync(response)).ErrorCode, Is.EqualTo("ERR_ACTOR_INSTANCE_MISSING"));
    }

    internal static async Task<(string ErrorCode, string Message)> ReadErrorAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (json.RootElement.GetProperty("errorCode").GetString()!, json.RootElement.GetProperty("message").GetString()!);
    }
}
