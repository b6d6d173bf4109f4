using System.Collections.Concurrent;

namespace Personalization.DaprSidecar.Tests.Conformance.TestApp;

/// <summary>What the test actors saw, per actor id. Ids are unique per test, so tests read it without interfering.</summary>
public static class ActorProbe
{
    private static readonly ConcurrentDictionary<string, ActorRecord> Records = new();

    public static ActorRecord For(string actorId) => Records.GetOrAdd(actorId, _ => new ActorRecord());
}

public sealed class ActorRecord
{
    private int _inTurn;
    private int _overlaps;
    private int _activations;
    private int _deactivations;
    private int _activeNow;
    private int _maxActiveAtOnce;

    public int Activations => Volatile.Read(ref _activations);
    public int Deactivations => Volatile.Read(ref _deactivations);

    /// <summary>Most apps that held this actor active at the same time (the test apps share this record).</summary>
    public int MaxActiveAtOnce => Volatile.Read(ref _maxActiveAtOnce);

    /// <summary>Times a turn began while another of the same actor was still running.</summary>
    public int Overlaps => Volatile.Read(ref _overlaps);

    public ConcurrentQueue<Fired> Fires { get; } = new();

    public int FiresOf(string name) => Fires.Count(f => f.Name == name);

    public void Activated()
    {
        Interlocked.Increment(ref _activations);
        var now = Interlocked.Increment(ref _activeNow);
        for (var max = MaxActiveAtOnce; now > max; max = MaxActiveAtOnce)
            Interlocked.CompareExchange(ref _maxActiveAtOnce, now, max);
    }

    public void Deactivated()
    {
        Interlocked.Increment(ref _deactivations);
        Interlocked.Decrement(ref _activeNow);
    }

    public void TurnStarted()
    {
        if (Interlocked.Increment(ref _inTurn) > 1) Interlocked.Increment(ref _overlaps);
    }

    public void TurnEnded() => Interlocked.Decrement(ref _inTurn);
}

/// <summary>A reminder or timer callback the app received.</summary>
public sealed record Fired(string Kind, string Name, string Data, DateTimeOffset At);
