namespace Personalization.DaprSidecar.Actors;

/// <summary>The emulator's record of one actor: its turn queue, whether the app holds it active, when it goes idle, its timers.</summary>
public sealed class ActorEntry(ActorKey key)
{
    private readonly Dictionary<string, RunningTimer> _timers = new(StringComparer.Ordinal);
    private long _idleAtTicks;
    private volatile bool _active;

    public ActorKey Key { get; } = key;
    public TurnGate Gate { get; } = new();

    /// <summary>Callers holding or waiting for this entry; guarded by the table's lock.</summary>
    internal int Pins { get; set; }

    /// <summary>Set when a turn goes to the app (which activates the actor on its first call); cleared on deactivation.</summary>
    public bool Active => _active;

    public DateTimeOffset IdleAt => new(Interlocked.Read(ref _idleAtTicks), TimeSpan.Zero);

    internal void MarkActive(DateTimeOffset idleAt)
    {
        _active = true;
        Interlocked.Exchange(ref _idleAtTicks, idleAt.UtcTicks);
    }

    internal void MarkInactive() => _active = false;

    internal bool HasTimers
    {
        get { lock (_timers) return _timers.Count > 0; }
    }

    /// <summary>Adds a timer, stopping one of the same name (re-registering replaces, as in daprd).</summary>
    internal void SetTimer(RunningTimer timer)
    {
        RunningTimer? replaced;
        lock (_timers)
        {
            _timers.TryGetValue(timer.Name, out replaced);
            _timers[timer.Name] = timer;
        }
        replaced?.Stop();
    }

    internal bool RemoveTimer(string name, RunningTimer? onlyThis = null)
    {
        RunningTimer? removed;
        lock (_timers)
        {
            if (!_timers.TryGetValue(name, out removed) || (onlyThis is not null && removed != onlyThis)) return false;
            _timers.Remove(name);
        }
        removed.Stop();
        return true;
    }

    internal void StopAllTimers()
    {
        List<RunningTimer> stopped;
        lock (_timers)
        {
            stopped = [.. _timers.Values];
            _timers.Clear();
        }
        foreach (var timer in stopped) timer.Stop();
    }
}

/// <summary>A timer's loop and the switch that ends it.</summary>
internal sealed class RunningTimer(string name, CancellationToken hostStopping) : IDisposable
{
    private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(hostStopping);

    public string Name { get; } = name;
    public CancellationToken Stopping => _stop.Token;

    public void Stop()
    {
        try { _stop.Cancel(); }
        catch (ObjectDisposedException) { /* already ended */ }
    }

    public void Dispose() => _stop.Dispose();
}
