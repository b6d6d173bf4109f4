using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Personalization.DaprSidecar.Actors;
using Personalization.DaprSidecar.Discovery;
using Personalization.DaprSidecar.Durations;
using Personalization.DaprSidecar.Placement;

namespace Personalization.DaprSidecar.Reminders;

/// <summary>
/// Fires reminders from the table: sleeps until the earliest one is due (or a registration wakes it), then calls the
/// app's <c>PUT /actors/{type}/{id}/method/remind/{name}</c> in the actor's turn. Reminders due while the emulator was
/// down fire once it is up. A reminder whose app cannot be reached, or is not discovered yet, is tried again shortly;
/// one the app answered with an error counts as fired (the Scheduler's retry policy is not emulated). With placement
/// on, each emulator fires the reminders of the actors placed on it.
/// </summary>
public sealed class ReminderScheduler(
    ReminderStore store, ActorTypeDirectory directory, ActorTurns turns, AppChannel channel, ActorPlacement placement, ActorTable table, TimeProvider clock,
    IOptions<SidecarOptions> options, ILogger<ReminderScheduler> logger) : BackgroundService
{
    private const int BatchSize = 200;
    private const int MaxPagesPerScan = 25;

    private readonly ConcurrentDictionary<(ActorKey, string), Task> _inFlight = new();
    private readonly ConcurrentDictionary<(ActorKey, string), DateTimeOffset> _retryAt = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly SidecarOptions _options = options.Value;

    /// <summary>Something changed (a registration, a deletion, a fire ended): look at the table again now.</summary>
    public void Wake(ActorKey? actor = null, string? name = null)
    {
        if (actor is { } key && name is not null) _retryAt.TryRemove((key, name), out _);
        try { _wake.Release(); }
        catch (SemaphoreFullException) { /* a wake-up is already pending */ }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var sleep = _options.ReminderPollInterval;
            try
            {
                var now = clock.GetUtcNow();
                // Pages on past the reminders other hosts own, waiting retries and those in flight, so that neither
                // a busy peer's backlog nor a few failing reminders hide the ones this host should fire.
                var started = 0;
                StoredReminder? after = null;
                for (var page = 0; page < MaxPagesPerScan && started < BatchSize; page++)
                {
                    var due = await store.DueAsync(now, BatchSize, after, stoppingToken);
                    foreach (var reminder in due)
                    {
                        if (_retryAt.TryGetValue(reminder.Key, out var retryAt) && retryAt > now) continue;
                        if (placement.RemoteOwnerOf(reminder.Actor) is not null && !table.IsActive(reminder.Actor)) continue;
                        // Marked in flight before it starts, so its end (which unmarks it) cannot come first.
                        var fire = new Task<Task>(() => FireAsync(reminder, stoppingToken));
                        if (!_inFlight.TryAdd(reminder.Key, fire.Unwrap())) continue;
                        fire.Start(TaskScheduler.Default);
                        started++;
                    }
                    if (due.Count < BatchSize) break;
                    after = due[^1];
                }

                if (await store.NextDueAfterAsync(now, stoppingToken) is { } next && next - now < sleep) sleep = next - now;
                foreach (var (key, retryAt) in _retryAt)
                {
                    if (retryAt <= now) _retryAt.TryRemove(key, out _);
                    else if (retryAt - now < sleep) sleep = retryAt - now;
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Reading due reminders failed; trying again in {Delay}", _options.ReminderRetryDelay);
                sleep = _options.ReminderRetryDelay;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await _wake.WaitAsync(sleep > TimeSpan.Zero ? sleep : TimeSpan.Zero, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Lets fires under way end (they see the stop) before the database goes away.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await Task.WhenAll(_inFlight.Values).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task FireAsync(StoredReminder reminder, CancellationToken stoppingToken)
    {
        try
        {
            if (reminder.ExpiresAt is { } expires && clock.GetUtcNow() >= expires)
            {
                await store.CompleteAsync(reminder, stoppingToken);
                return;
            }

            if (await directory.ResolveAsync(reminder.Actor.Type, stoppingToken) is not { } type)
            {
                RetryLater(reminder, $"no app hosts actor type '{reminder.Actor.Type}' yet ({directory.DescribeApps()})");
                return;
            }

            var reply = await turns.RunAsync(type, reminder.Actor, reentrancyId: null, async ct =>
            {
                // Deleted or registered anew while this fire waited for the turn: that registration decides.
                var current = await store.GetAsync(reminder.Actor, reminder.Name, ct);
                if (current is null || current.Registration != reminder.Registration || current.NextFireAt != reminder.NextFireAt)
                    return null;
                return await channel.FireReminderAsync(type, reminder.Actor, reminder.Name, CallbackBodies.ReminderFire(reminder.DataJson), ct);
            }, stoppingToken);
            if (reply is null) return;

            _retryAt.TryRemove(reminder.Key, out _);
            if (reply.StatusCode != 200)
                logger.LogWarning("Reminder {Name} of {Actor}: the app answered {Status}: {Body}", reminder.Name, reminder.Actor, reply.StatusCode, reply.BodyText(500));

            var period = ReminderPeriod.Parse(reminder.Period);
            var (done, next, left) = Schedule.AfterFire(reminder.NextFireAt, period, reminder.RepetitionsLeft, reminder.ExpiresAt, clock.GetUtcNow());
            if (done || reply.AsksToCancel)
                await store.CompleteAsync(reminder, stoppingToken);
            else
                await store.RescheduleAsync(reminder, next, left, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the reminder stays due and fires after the next start.
        }
        catch (Exception ex)
        {
            RetryLater(reminder, ex is HttpRequestException or TurnTimeoutException or ActorElsewhereException or LeaseLapsedException ? ex.Message : ex.ToString());
        }
        finally
        {
            _inFlight.TryRemove(reminder.Key, out _);
            Wake();
        }
    }

    private void RetryLater(StoredReminder reminder, string reason)
    {
        var first = _retryAt.TryAdd(reminder.Key, clock.GetUtcNow() + _options.ReminderRetryDelay);
        if (!first) _retryAt[reminder.Key] = clock.GetUtcNow() + _options.ReminderRetryDelay;
        // Say it once per outage, not on every retry.
        if (first)
            logger.LogWarning("Reminder {Name} of {Actor} could not fire; retrying every {Delay}: {Reason}",
                reminder.Name, reminder.Actor, _options.ReminderRetryDelay, reason);
    }
}
