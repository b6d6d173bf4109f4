using Microsoft.Extensions.Options;
using Personalization.DaprSidecar.Actors;

namespace Personalization.DaprSidecar.Placement;

/// <summary>
/// This host's part in placement: joins before the emulator listens, renews its lease every heartbeat with the types
/// its apps host, rebuilds the rings from the live leases, and deactivates the actors a new ring gives to another
/// host (they are activated there on their next call). A host that cannot renew its lease deactivates everything once
/// the lease runs out, since the others may have taken its actors; a clean stop deactivates and leaves at once.
/// </summary>
public sealed class PlacementService(
    ActorPlacement placement, PlacementStore store, ActorTable table, ActorDeactivator deactivator,
    TimeProvider clock, IOptions<SidecarOptions> options, ILogger<PlacementService> logger) : BackgroundService
{
    private readonly PlacementOptions _options = options.Value.Placement;
    private int _ringVersionSeen;
    private bool _movesPending;
    private string? _lastError;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!placement.Enabled) return;
        await store.JoinAsync(placement.Self, cancellationToken);
        await placement.RenewAsync(clock.GetUtcNow(), cancellationToken);
        logger.LogInformation("Placement on: this host is {Host}, lease {Timeout}, heartbeat {Interval}", placement.Self, _options.HostTimeout, _options.HeartbeatInterval);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.HeartbeatInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await placement.RenewAsync(clock.GetUtcNow() - _options.HeartbeatInterval / 2, stoppingToken);
                    if (_lastError is not null) logger.LogInformation("Placement lease renewed again");
                    _lastError = null;
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    if (_lastError != ex.Message) logger.LogWarning("Renewing the placement lease failed: {Error}", ex.Message);
                    _lastError = ex.Message;
                }

                if (placement.RingVersion != _ringVersionSeen)
                {
                    _ringVersionSeen = placement.RingVersion;
                    _movesPending = true;
                    logger.LogInformation("Placement: {Rings}", string.Join("; ", placement.Rings.Select(r => $"{r.Key} on [{string.Join(", ", r.Value.Hosts)}]")));
                }

                if (!placement.LeaseHeld)
                    await deactivator.DeactivateAsync(table.PinUnused(_ => true), _ => !placement.LeaseHeld, "placement lease lapsed", stoppingToken);
                else if (_movesPending)
                    await MoveAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (!placement.Enabled) return;
        try
        {
            await deactivator.DeactivateAsync(table.PinUnused(_ => true), _ => true, "emulator stopping", cancellationToken);
            await store.LeaveAsync(placement.Self, cancellationToken);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or OperationCanceledException)
        {
            logger.LogWarning("Leaving placement failed ({Error}); the others take this host's actors when its lease runs out", ex.Message);
        }
    }

    /// <summary>Deactivates actors the rings now place elsewhere; busy ones are tried again next heartbeat.</summary>
    private async Task MoveAsync(CancellationToken cancellationToken)
    {
        bool Moved(ActorEntry e) => placement.RemoteOwnerOf(e.Key) is not null;
        await deactivator.DeactivateAsync(table.PinUnused(Moved), Moved, "placed on another host", cancellationToken);
        _movesPending = table.AnyActive(Moved);
    }
}
