using System.Text;
using Personalization.DaprSidecar.Tests.Conformance.TestApp;
using Personalization.TestSupport;
using static Personalization.DaprSidecar.Tests.Conformance.ConformanceEnvironment;

namespace Personalization.DaprSidecar.Tests.Conformance;

/// <summary>Turn-based concurrency: the emulator, not the .NET runtime, keeps an actor's calls one at a time.</summary>
public class TurnTests
{
    [Test]
    public async Task Fifty_concurrent_first_calls_activate_the_actor_once_and_never_interleave()
    {
        var id = NewId();
        var actor = Probe(id);

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => actor.IncrementAsync()));

        var record = ActorProbe.For(id);
        Assert.Multiple(() =>
        {
            Assert.That(record.Activations, Is.EqualTo(1), "activations");
            Assert.That(record.Overlaps, Is.Zero, "turns that began while another was running");
            Assert.That(results.Order(), Is.EqualTo(Enumerable.Range(1, 50)), "each turn saw the previous one's state");
        });
    }

    [Test]
    public async Task The_emulator_itself_gives_each_actor_one_turn_at_a_time_across_calls_and_timers()
    {
        var (busy, other) = (NewId(), NewId());
        using var http = SidecarHttp();
        using var timer = await http.PutAsync($"/v1.0/actors/{RawActorApp.ActorType}/{busy}/timers/beat",
            new StringContent("""{"dueTime":"0h0m0s0ms","period":"0h0m0s20ms","callback":"OnBeat"}""", Encoding.UTF8, "application/json"));
        Assert.That(timer.IsSuccessStatusCode, Is.True, "timer registered");

        var calls = Enumerable.Range(0, 40).Select(async i =>
        {
            var id = i % 4 == 0 ? other : busy;
            using var response = await http.PutAsync($"/v1.0/actors/{RawActorApp.ActorType}/{id}/method/Touch", new StringContent("{}"));
            return response.StatusCode;
        });
        var statuses = await Task.WhenAll(calls);
        await Eventually.ReturnsAsync(() => Task.FromResult(RawApp.Callbacks.Count(c => c == $"{busy}:timer/beat")), n => n >= 3,
            TimeSpan.FromSeconds(5), "timer fires in between the calls");
        using var stop = await http.DeleteAsync($"/v1.0/actors/{RawActorApp.ActorType}/{busy}/timers/beat");

        Assert.Multiple(() =>
        {
            Assert.That(statuses, Is.All.EqualTo(System.Net.HttpStatusCode.OK));
            Assert.That(RawApp.MaxConcurrentTurns(busy), Is.EqualTo(1), "callbacks of one actor running at once");
            Assert.That(RawApp.MaxConcurrentCallbacksOverall, Is.GreaterThan(1), "different actors are not serialised against each other");
        });
    }
}
