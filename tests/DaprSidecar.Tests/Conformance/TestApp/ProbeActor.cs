using System.Text;
using Dapr.Actors.Runtime;

namespace Personalization.DaprSidecar.Tests.Conformance.TestApp;

/// <summary>An actor that reports to <see cref="ActorProbe"/> what the emulator made it do.</summary>
public sealed class ProbeActor(ActorHost host) : Actor(host), IProbeActor, IRemindable
{
    private ActorRecord Record => ActorProbe.For(Id.GetId());

    protected override Task OnActivateAsync()
    {
        Record.Activated();
        return Task.CompletedTask;
    }

    protected override Task OnDeactivateAsync()
    {
        Record.Deactivated();
        return Task.CompletedTask;
    }

    public async Task<int> IncrementAsync()
    {
        Record.TurnStarted();
        try
        {
            var count = await StateManager.GetOrAddStateAsync("count", 0);
            // Widens the window in which an interleaved turn would show up as an overlap or a lost update.
            await Task.Delay(5);
            await StateManager.SetStateAsync("count", count + 1);
            return count + 1;
        }
        finally
        {
            Record.TurnEnded();
        }
    }

    public Task<string> EchoAsync(string text) => Task.FromResult($"{Id.GetId()} says {text}");

    public Task FailAsync(string message) => throw new InvalidOperationException(message);

    public async Task<string?> GetValueAsync()
    {
        var value = await StateManager.TryGetStateAsync<string>("value");
        return value.HasValue ? value.Value : null;
    }

    public Task SetValueAsync(string value) => StateManager.SetStateAsync("value", value);

    public Task RegisterReminderAsync(string name, TimeSpan dueTime, TimeSpan period, int repetitions) =>
        repetitions > 0
            ? base.RegisterReminderAsync(name, Encoding.UTF8.GetBytes("data of " + name), dueTime, period, repetitions)
            : base.RegisterReminderAsync(name, Encoding.UTF8.GetBytes("data of " + name), dueTime, period);

    public new Task UnregisterReminderAsync(string name) => base.UnregisterReminderAsync(name);

    public Task RegisterTimerAsync(string name, TimeSpan dueTime, TimeSpan period) =>
        base.RegisterTimerAsync(name, nameof(OnTimerAsync), Encoding.UTF8.GetBytes(name), dueTime, period);

    public new Task UnregisterTimerAsync(string name) => base.UnregisterTimerAsync(name);

    public Task OnTimerAsync(byte[] data)
    {
        var name = Encoding.UTF8.GetString(data);
        Record.Fires.Enqueue(new Fired("timer", name, name, DateTimeOffset.UtcNow));
        return Task.CompletedTask;
    }

    public Task ReceiveReminderAsync(string reminderName, byte[] state, TimeSpan dueTime, TimeSpan period)
    {
        Record.Fires.Enqueue(new Fired("reminder", reminderName, Encoding.UTF8.GetString(state), DateTimeOffset.UtcNow));
        return Task.CompletedTask;
    }
}
