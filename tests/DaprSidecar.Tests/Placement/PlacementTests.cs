using Personalization.DaprSidecar.Tests.Conformance.TestApp;
using Personalization.TestSupport;

namespace Personalization.DaprSidecar.Tests.Placement;

/// <summary>
/// Several emulators host one actor type, as replicas with their sidecars: each actor is placed on one host by
/// consistent hashing, calls reach it through any emulator, and it moves, with its state, when a host joins or goes away.
/// </summary>
public class PlacementTests
{
    private TestDatabase _database = null!;

    [OneTimeSetUp]
    public async Task CreateDatabaseAsync() => _database = await TestDatabase.CreateAsync("placement");

    [OneTimeTearDown]
    public async Task DropDatabaseAsync() => await _database.DisposeAsync();

    private static string[] NewIds(int count) => [.. Enumerable.Range(0, count).Select(_ => Guid.NewGuid().ToString("N")[..12])];

    [Test]
    public async Task Actors_are_spread_over_both_hosts_and_each_is_active_on_one_of_them_whichever_emulator_is_called()
    {
        await using var cluster = new PlacementCluster(_database);
        var replicas = new[] { await cluster.StartReplicaAsync(), await cluster.StartReplicaAsync() };
        await cluster.WaitForHostsAsync(2);
        var ids = NewIds(120);

        // Each actor is called four times in turn through alternating emulators, all actors at once.
        var counts = await Task.WhenAll(ids.Select(async id =>
        {
            var seen = new List<int>();
            for (var call = 0; call < 4; call++) seen.Add(await replicas[call % 2].Probe(id).IncrementAsync());
            return seen;
        }));

        var active = await Task.WhenAll(replicas.Select(r => r.ActiveProbesAsync()));
        Assert.Multiple(() =>
        {
            Assert.That(counts, Is.All.EqualTo(new[] { 1, 2, 3, 4 }), "each call saw the one before it");
            Assert.That(ids.Select(id => ActorProbe.For(id).Activations), Is.All.EqualTo(1), "activations per actor, over both apps");
            Assert.That(ids.Select(id => ActorProbe.For(id).Overlaps), Is.All.Zero, "turns of one actor that overlapped");
            Assert.That(active, Is.All.GreaterThan(ids.Length / 4), "active actors per host");
            Assert.That(active.Sum(), Is.EqualTo(ids.Length), "active actors over both hosts");
        });
    }

    [Test]
    public async Task A_host_that_joins_takes_its_share_under_load_and_no_actor_is_ever_active_on_two_hosts()
    {
        await using var cluster = new PlacementCluster(_database);
        var first = await cluster.StartReplicaAsync();
        await cluster.WaitForHostsAsync(1);
        var ids = NewIds(80);
        var applied = ids.ToDictionary(id => id, _ => 0);
        var failures = new List<string>();
        using var stop = new CancellationTokenSource();

        // Callers keep calling every actor through the first emulator while the second host joins.
        var load = Task.WhenAll(ids.Select(async id =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var count = await first.Probe(id).IncrementAsync();
                    lock (applied) applied[id] = count;
                }
                catch (Exception ex)
                {
                    lock (failures) failures.Add(ex.Message);
                }
            }
        }));
        await Task.Delay(500);
        var second = await cluster.StartReplicaAsync();
        await cluster.WaitForHostsAsync(2);
        await Eventually.ReturnsAsync(second.ActiveProbesAsync, n => n > ids.Length / 4, TimeSpan.FromSeconds(10), "actors moved to the new host");
        await Task.Delay(500);
        stop.Cancel();
        await load;

        var movedIds = await cluster.PlacedOnAsync(second);
        var next = await Task.WhenAll(ids.Select(id => second.Probe(id).IncrementAsync()));
        Assert.Multiple(() =>
        {
            Assert.That(ids.Select(id => ActorProbe.For(id).MaxActiveAtOnce), Is.All.EqualTo(1), "apps holding one actor active at once");
            Assert.That(next, Is.EqualTo(ids.Select(id => applied[id] + 1)), "the state moved with each actor: no call lost or applied twice");
            Assert.That(movedIds.Select(id => ActorProbe.For(id).Activations), Is.All.EqualTo(2),
                "moved actors: activated on the first host, then on the second: " + string.Join(", ", movedIds.Select(id => ActorProbe.For(id).Activations)));
            Assert.That(failures, Is.Empty, "calls that failed while the actors moved");
        });
    }

    [Test]
    public async Task When_a_host_is_killed_its_actors_and_reminders_carry_on_elsewhere_and_a_clean_stop_hands_over_at_once()
    {
        await using var cluster = new PlacementCluster(_database);
        var survivor = await cluster.StartReplicaAsync();
        var doomed = await cluster.StartReplicaAsync(sidecarAsProcess: true);
        await cluster.WaitForHostsAsync(2);
        var ids = NewIds(60);
        await Task.WhenAll(ids.Select(id => survivor.Probe(id).IncrementAsync()));
        var onDoomed = await cluster.PlacedOnAsync(doomed);
        Assert.That(onDoomed, Is.Not.Empty, "some actors are placed on the host to be killed");
        var reminderActor = onDoomed[0];
        await survivor.Probe(reminderActor).RegisterReminderAsync("after-kill", TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan, 0);

        await doomed.DisposeAsync();   // kill -9 of its emulator, and its app goes too

        // A caller that retries, as the services' consumers do: calls fail until the killed host's lease runs out.
        var counts = await Task.WhenAll(ids.Select(id => Eventually.ReturnsAsync(async () =>
        {
            try { return await survivor.Probe(id).IncrementAsync(); }
            catch (Exception) { return 0; }
        }, n => n > 0, TimeSpan.FromSeconds(15), $"a call to {id} after the kill")));
        await Eventually.ReturnsAsync(() => Task.FromResult(ActorProbe.For(reminderActor).FiresOf("after-kill")), n => n > 0,
            TimeSpan.FromSeconds(10), "the killed host's reminder to fire on the survivor");

        Assert.Multiple(() =>
        {
            Assert.That(counts, Is.All.EqualTo(2), "each actor's state survived its host");
            Assert.That(ActorProbe.For(reminderActor).FiresOf("after-kill"), Is.EqualTo(1), "reminder fires");
        });

        // A clean stop gives its actors up at once: no wait for the lease. (Fresh actors: the killed app never
        // deactivated its own, so the probe counts those as still active there.)
        var leaving = await cluster.StartReplicaAsync();
        await cluster.WaitForHostsAsync(2);
        var fresh = NewIds(60);
        await Task.WhenAll(fresh.Select(id => leaving.Probe(id).IncrementAsync()));
        var onLeaving = await cluster.PlacedOnAsync(leaving);
        await leaving.DisposeAsync();
        var afterLeave = await Task.WhenAll(onLeaving.Select(id => survivor.Probe(id).IncrementAsync()));
        Assert.Multiple(() =>
        {
            Assert.That(onLeaving, Is.Not.Empty, "actors placed on the host that left");
            Assert.That(afterLeave, Is.All.EqualTo(2), "calls right after a clean stop succeed and see the state");
            Assert.That(onLeaving.Select(id => ActorProbe.For(id).MaxActiveAtOnce), Is.All.EqualTo(1), "apps holding one actor active at once");
        });
    }
}
