using Microsoft.Extensions.Options;
using Personalization.DaprSidecar.Actors;
using Personalization.DaprSidecar.Discovery;

namespace Personalization.DaprSidecar.Placement;

/// <summary>
/// Where actors go when several emulators host the same types: this host's view of the rings (one per actor type,
/// from the live leases) and its own lease. The ring says where an actor should be activated; the placement table
/// (<see cref="PlacementStore.TryTakeAsync"/>) has the last word, so two hosts whose views differ for a moment
/// still never both activate it. With placement off every actor is local.
/// </summary>
public sealed class ActorPlacement(PlacementStore store, ActorTypeDirectory directory, TimeProvider clock, IOptions<SidecarOptions> options)
{
    private readonly PlacementOptions _options = options.Value.Placement;
    private readonly SemaphoreSlim _renewing = new(1, 1);
    private volatile IReadOnlyDictionary<string, HashRing> _rings = new Dictionary<string, HashRing>();
    private long _leaseEndsTicks = DateTimeOffset.MinValue.UtcTicks;
    private DateTimeOffset _lastRenewalStartedAt = DateTimeOffset.MinValue;
    private int _ringVersion;

    public bool Enabled => _options.Enabled;

    /// <summary>This host's name in the placement tables: the address the others forward to.</summary>
    public string Self { get; } = options.Value.Placement.Address?.TrimEnd('/') ?? "";

    public IReadOnlyDictionary<string, HashRing> Rings => _rings;

    public TimeSpan HostTimeout => _options.HostTimeout;

    /// <summary>Goes up each time a ring changes.</summary>
    public int RingVersion => Volatile.Read(ref _ringVersion);

    /// <summary>True while this host's last renewed lease has not run out (always true with placement off).</summary>
    public bool LeaseHeld => !Enabled || clock.GetUtcNow().UtcTicks < Interlocked.Read(ref _leaseEndsTicks);

    /// <summary>The other host the ring gives <paramref name="actor"/> to; null when it is this one's (or placement is off).</summary>
    public string? RemoteOwnerOf(ActorKey actor)
    {
        if (!Enabled || !_rings.TryGetValue(actor.Type, out var ring)) return null;
        var owner = ring.OwnerOf(actor.ToString());
        return owner is null || owner == Self ? null : owner;
    }

    /// <summary>
    /// Called in the actor's turn before it is activated here. Throws <see cref="ActorElsewhereException"/> when the
    /// ring gives it to another host (unless another host's ring sent the call here) or another live host holds it.
    /// </summary>
    public async Task PlaceHereAsync(ActorKey actor, bool sentByRing, CancellationToken cancellationToken)
    {
        if (!Enabled) return;
        EnsureLease(actor);
        if (!sentByRing && RemoteOwnerOf(actor) is { } owner) throw new ActorElsewhereException(actor, owner, holdsIt: false);
        if (await store.TryTakeAsync(actor, Self, _options.HostTimeout, cancellationToken) is { } holder)
            throw new ActorElsewhereException(actor, holder, holdsIt: true);
    }

    /// <summary>An active actor's turn: refused once this host cannot know that the actor is still its own.</summary>
    public void EnsureLease(ActorKey actor)
    {
        if (!LeaseHeld)
            throw new LeaseLapsedException($"this emulator's placement lease lapsed (PostgreSQL not reached for {_options.HostTimeout}), so {actor} may be active elsewhere; try again");
    }

    public Task ReleaseAsync(ActorKey actor, CancellationToken cancellationToken) =>
        Enabled ? store.ReleaseAsync(actor, Self, cancellationToken) : Task.CompletedTask;

    /// <summary>
    /// Renews this host's lease with the types its apps host and rebuilds the rings from the live leases, unless a
    /// renewal that started at or after <paramref name="freshAfter"/> has completed (callers at the same time share one).
    /// </summary>
    public async Task RenewAsync(DateTimeOffset freshAfter, CancellationToken cancellationToken)
    {
        await _renewing.WaitAsync(cancellationToken);
        try
        {
            if (_lastRenewalStartedAt >= freshAfter) return;
            var startedAt = clock.GetUtcNow();
            var hosts = await store.HeartbeatAsync(Self, directory.ActorTypes, _options.HostTimeout, cancellationToken);
            _lastRenewalStartedAt = startedAt;
            Interlocked.Exchange(ref _leaseEndsTicks, (startedAt + _options.HostTimeout).UtcTicks);
            Publish(hosts);
        }
        finally
        {
            _renewing.Release();
        }
    }

    private void Publish(IReadOnlyList<LiveHost> hosts)
    {
        var byType = hosts
            .SelectMany(h => h.ActorTypes.Select(type => (type, h.Host)))
            .GroupBy(x => x.type, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Host).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var current = _rings;
        var same = byType.Count == current.Count && byType.All(t => current.TryGetValue(t.Key, out var ring) && ring.Hosts.SequenceEqual(t.Value));
        if (same) return;
        _rings = byType.ToDictionary(t => t.Key, t => new HashRing(t.Value), StringComparer.Ordinal);
        Interlocked.Increment(ref _ringVersion);
    }
}

/// <summary>The actor is active on another host (<see cref="HoldsIt"/>), or its ring places it there; the call goes there.</summary>
public sealed class ActorElsewhereException(ActorKey actor, string host, bool holdsIt)
    : Exception(holdsIt ? $"{actor} is active on {host}" : $"{actor} is placed on {host}")
{
    public string Host { get; } = host;
    public bool HoldsIt { get; } = holdsIt;
}

public sealed class LeaseLapsedException(string message) : Exception(message);
