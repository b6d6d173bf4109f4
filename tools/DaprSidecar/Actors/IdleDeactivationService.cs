using Microsoft.Extensions.Options;
using Personalization.DaprSidecar.Discovery;

namespace Personalization.DaprSidecar.Actors;

/// <summary>
/// Deactivates actors idle past their type's <c>actorIdleTimeout</c>: in the actor's own turn, so no call interleaves,
/// it forgets the actor, stops its timers and sends the app <c>DELETE /actors/{type}/{id}</c>.
/// </summary>
public sealed class IdleDeactivationService(
    ActorTable table, ActorTypeDirectory directory, AppChannel channel, TimeProvider clock,
    IOptions<SidecarOptions> options, ILogger<IdleDeactivationService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.IdleScanInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var idle = table.PinIdle(clock.GetUtcNow());
                await Task.WhenAll(idle.Select(entry => DeactivateAsync(entry, stoppingToken)));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task DeactivateAsync(ActorEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            using (await entry.Gate.EnterAsync(null, int.MaxValue, options.Value.TurnTimeout, cancellationToken))
            {
                // A call may have slipped in between the scan and this turn.
                if (!entry.Active || entry.IdleAt > clock.GetUtcNow()) return;
                entry.MarkInactive();
                entry.StopAllTimers();

                if (directory.Find(entry.Key.Type) is not { } type)
                {
                    logger.LogWarning("Actor {Actor} went idle but no app hosts its type any more; not sending DELETE", entry.Key);
                    return;
                }
                var reply = await channel.DeactivateAsync(type, entry.Key, cancellationToken);
                if (reply.StatusCode != 200)
                    logger.LogWarning("Deactivating {Actor}: the app answered {Status}: {Body}", entry.Key, reply.StatusCode, reply.BodyText(500));
                else
                    logger.LogDebug("Deactivated idle actor {Actor}", entry.Key);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Deactivating {Actor} failed", entry.Key);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        finally
        {
            table.Unpin(entry);
        }
    }
}
