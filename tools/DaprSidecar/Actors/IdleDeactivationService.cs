using Microsoft.Extensions.Options;

namespace Personalization.DaprSidecar.Actors;

/// <summary>Deactivates actors idle past their type's <c>actorIdleTimeout</c>, looking every <c>IdleScanInterval</c>.</summary>
public sealed class IdleDeactivationService(
    ActorTable table, ActorDeactivator deactivator, TimeProvider clock, IOptions<SidecarOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.IdleScanInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                bool Idle(ActorEntry e) => e.IdleAt <= clock.GetUtcNow();
                await deactivator.DeactivateAsync(table.PinUnused(Idle), Idle, "idle", stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
