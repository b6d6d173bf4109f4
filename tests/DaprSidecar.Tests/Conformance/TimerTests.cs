using Personalization.DaprSidecar.Tests.Conformance.TestApp;
using Personalization.TestSupport;
using static Personalization.DaprSidecar.Tests.Conformance.ConformanceEnvironment;

namespace Personalization.DaprSidecar.Tests.Conformance;

/// <summary>Timers registered through the real runtime; the emulator keeps them in memory and fires the named callback.</summary>
public class TimerTests
{
    [Test]
    public async Task Timer_fires_repeatedly_with_its_data()
    {
        var id = NewId();
        var actor = Probe(id);
        await actor.RegisterTimerAsync("pulse", TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200));

        await Eventually.ReturnsAsync(() => Task.FromResult(ActorProbe.For(id).FiresOf("pulse")), n => n >= 3, TimeSpan.FromSeconds(5), "three timer fires");
        await actor.UnregisterTimerAsync("pulse");
        Assert.That(ActorProbe.For(id).Fires.Where(f => f.Name == "pulse").Select(f => (f.Kind, f.Data)),
            Is.All.EqualTo(("timer", "pulse")));
    }

    [Test]
    public async Task Timers_stop_when_the_actor_is_deactivated()
    {
        var id = NewId();
        var sentinelId = NewId();
        // Due after the actor's 600 ms idle timeout: it is deactivated first, and its timer must go with it.
        await Probe(id, ActorTypes.ShortLivedProbe).RegisterTimerAsync("orphan", TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(1.5));
        await Probe(sentinelId).RegisterTimerAsync("sentinel", TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(1));

        await Eventually.ReturnsAsync(() => Task.FromResult(ActorProbe.For(id).Deactivations), n => n == 1, TimeSpan.FromSeconds(5), "deactivation");
        await Eventually.ReturnsAsync(() => Task.FromResult(ActorProbe.For(sentinelId).FiresOf("sentinel")), n => n == 1,
            TimeSpan.FromSeconds(5), "the sentinel timer, due after the orphan's due time");
        await Probe(sentinelId).UnregisterTimerAsync("sentinel");

        Assert.That(ActorProbe.For(id).FiresOf("orphan"), Is.Zero);
        Assert.That(ActorProbe.For(id).Activations, Is.EqualTo(1), "nothing woke the deactivated actor");
    }
}
