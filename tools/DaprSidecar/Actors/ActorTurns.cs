using Microsoft.Extensions.Options;
using Personalization.DaprSidecar.Discovery;
using Personalization.DaprSidecar.Placement;

namespace Personalization.DaprSidecar.Actors;

/// <summary>
/// Runs work in an actor's turn: method calls, reminders and timers all queue here, one turn per actor at a time,
/// held until the app has replied. Every turn marks the actor active and pushes its idle deadline. With placement on,
/// the first turn of an inactive actor takes it in the placement table, or throws <see cref="ActorElsewhereException"/>.
/// </summary>
public sealed class ActorTurns(ActorTable table, ActorPlacement placement, TimeProvider clock, IOptions<SidecarOptions> options)
{
    private readonly TimeSpan _waitLimit = options.Value.TurnTimeout;

    /// <param name="reentrancyId">The request's reentrancy id when reentrancy is on for the type; null for a new call chain.</param>
    /// <param name="sentByRing">Another host sent the call here because its ring places the actor here.</param>
    public async Task<T> RunAsync<T>(
        ActorTypeSettings type, ActorKey key, string? reentrancyId, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken,
        bool sentByRing = false)
    {
        var entry = table.Pin(key);
        try
        {
            using (await entry.Gate.EnterAsync(reentrancyId, type.MaxStackDepth, _waitLimit, cancellationToken))
            {
                if (entry.Active) placement.EnsureLease(key);
                else await placement.PlaceHereAsync(key, sentByRing, cancellationToken);
                entry.MarkActive(clock.GetUtcNow() + type.IdleTimeout);
                try
                {
                    return await work(cancellationToken);
                }
                finally
                {
                    // daprd pushes the deadline when the turn starts; pushing it at the end too keeps a long call from
                    // leaving an actor that is due for deactivation the moment it finishes.
                    entry.MarkActive(clock.GetUtcNow() + type.IdleTimeout);
                }
            }
        }
        finally
        {
            table.Unpin(entry);
        }
    }
}
