using Microsoft.Extensions.Options;
using Personalization.DaprSidecar.Discovery;
using Personalization.DaprSidecar.Placement;

namespace Personalization.DaprSidecar.Actors;

/// <summary>
/// Deactivates an actor in its own turn, so no call interleaves: forgets it, stops its timers, sends the app
/// <c>DELETE /actors/{type}/{id}</c> and gives up its place in the placement table. For idle actors and for actors
/// whose ring moved them to another host.
/// </summary>
public sealed class ActorDeactivator(
    ActorTable table, ActorTypeDirectory directory, AppChannel channel, ActorPlacement placement,
    IOptions<SidecarOptions> options, ILogger<ActorDeactivator> logger)
{
    /// <summary>Deactivates pinned entries that still match <paramref name="stillDue"/> once their turn comes; unpins them.</summary>
    public Task DeactivateAsync(IEnumerable<ActorEntry> pinned, Func<ActorEntry, bool> stillDue, string reason, CancellationToken cancellationToken) =>
        Task.WhenAll(pinned.Select(entry => DeactivateAsync(entry, stillDue, reason, cancellationToken)));

    private async Task DeactivateAsync(ActorEntry entry, Func<ActorEntry, bool> stillDue, string reason, CancellationToken cancellationToken)
    {
        try
        {
            using (await entry.Gate.EnterAsync(null, int.MaxValue, options.Value.TurnTimeout, cancellationToken))
            {
                // A call may have slipped in between the scan and this turn.
                if (!entry.Active || !stillDue(entry)) return;
                entry.MarkInactive();
                entry.StopAllTimers();

                if (directory.Find(entry.Key.Type) is not { } type)
                    logger.LogWarning("Actor {Actor} is deactivated ({Reason}) but no app hosts its type any more; not sending DELETE", entry.Key, reason);
                else if (await channel.DeactivateAsync(type, entry.Key, cancellationToken) is { StatusCode: not 200 } reply)
                    logger.LogWarning("Deactivating {Actor} ({Reason}): the app answered {Status}: {Body}", entry.Key, reason, reply.StatusCode, reply.BodyText(500));
                else
                    logger.LogDebug("Deactivated actor {Actor} ({Reason})", entry.Key, reason);

                // Still in the turn: a call queued behind it must find the actor free to take (or placed elsewhere).
                try
                {
                    await placement.ReleaseAsync(entry.Key, cancellationToken);
                }
                catch (Npgsql.NpgsqlException ex)
                {
                    // Left to the lease: once it lapses the others may take the actor anyway.
                    logger.LogDebug("Could not give up {Actor} in the placement table: {Error}", entry.Key, ex.Message);
                }
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Deactivating {Actor} ({Reason}) failed", entry.Key, reason);
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
