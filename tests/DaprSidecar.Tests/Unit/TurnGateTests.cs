using Personalization.DaprSidecar.Actors;

namespace Personalization.DaprSidecar.Tests.Unit;

public class TurnGateTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Test]
    public async Task Turns_are_taken_one_at_a_time_in_arrival_order()
    {
        var gate = new TurnGate();
        var first = await gate.EnterAsync(null, 32, Wait, CancellationToken.None);
        var second = gate.EnterAsync(null, 32, Wait, CancellationToken.None);
        var third = gate.EnterAsync(null, 32, Wait, CancellationToken.None);
        Assert.That(second.IsCompleted || third.IsCompleted, Is.False);

        first.Dispose();
        (await second).Dispose();
        (await third).Dispose();
        Assert.That(gate.IsFree, Is.True);
    }

    [Test]
    public async Task Same_reentrancy_id_enters_the_held_turn_up_to_the_stack_limit()
    {
        var gate = new TurnGate();
        using var outer = await gate.EnterAsync("chain-1", 2, Wait, CancellationToken.None);
        var inner = await gate.EnterAsync("chain-1", 2, Wait, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(1));
        Assert.That(() => gate.EnterAsync("chain-1", 2, Wait, CancellationToken.None), Throws.TypeOf<StackDepthExceededException>());

        var other = gate.EnterAsync("chain-2", 2, Wait, CancellationToken.None);
        inner.Dispose();
        Assert.That(other.IsCompleted, Is.False, "another chain waits until the whole first chain has left");
        outer.Dispose();
        (await other).Dispose();
    }

    [Test]
    public async Task Waiting_past_the_limit_fails_and_leaves_the_queue()
    {
        var gate = new TurnGate();
        var holder = await gate.EnterAsync(null, 32, Wait, CancellationToken.None);
        Assert.That(() => gate.EnterAsync(null, 32, TimeSpan.FromMilliseconds(50), CancellationToken.None), Throws.TypeOf<TurnTimeoutException>());
        var next = gate.EnterAsync(null, 32, Wait, CancellationToken.None);
        holder.Dispose();
        (await next.WaitAsync(TimeSpan.FromSeconds(1))).Dispose();
        Assert.That(gate.IsFree, Is.True);
    }
}
