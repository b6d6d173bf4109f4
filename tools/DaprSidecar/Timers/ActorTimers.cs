using Personalization.DaprSidecar.Actors;
using Personalization.DaprSidecar.Discovery;
using Personalization.DaprSidecar.Reminders;

namespace Personalization.DaprSidecar.Timers;

/// <summary>
/// Actor timers: in memory only, as in daprd. Each fires the app's <c>PUT /actors/{type}/{id}/method/timer/{name}</c>
/// in the actor's turn, repeats per its period, ends with its ttl or repetitions, and stops when the actor is deactivated.
/// </summary>
public sealed class ActorTimers(
    ActorTable table, ActorTurns turns, AppChannel channel, TimeProvider clock, IHostApplicationLifetime lifetime, ILogger<ActorTimers> logger)
{
    public void Register(ActorTypeSettings type, ActorKey actor, string name, ScheduleRequest request, Schedule schedule)
    {
        // Timers live in memory: they end with the emulator, which must not call apps after it stopped.
        var timer = new RunningTimer(name, lifetime.ApplicationStopping);
        var entry = table.Pin(actor);
        try
        {
            entry.SetTimer(timer);
            _ = RunAsync(type, entry, timer, request, schedule);
        }
        finally
        {
            table.Unpin(entry);
        }
    }

    public void Delete(ActorKey actor, string name)
    {
        if (table.Find(actor) is not { } entry) return;
        if (entry.RemoveTimer(name)) table.Release(entry);
    }

    private async Task RunAsync(ActorTypeSettings type, ActorEntry entry, RunningTimer timer, ScheduleRequest request, Schedule schedule)
    {
        var body = CallbackBodies.TimerFire(request.Callback ?? "", request.DataJson, request.DueTime, request.Period);
        var due = schedule.FirstFireAt;
        var repetitionsLeft = schedule.Period.Repetitions;
        try
        {
            while (true)
            {
                var wait = due - clock.GetUtcNow();
                if (wait > TimeSpan.Zero) await Task.Delay(wait, clock, timer.Stopping);
                if (schedule.ExpiresAt is { } expires && due >= expires) break;

                try
                {
                    var reply = await turns.RunAsync(type, entry.Key, reentrancyId: null,
                        ct => channel.FireTimerAsync(type, entry.Key, timer.Name, body, ct), timer.Stopping);
                    if (reply.StatusCode != 200)
                        logger.LogWarning("Timer {Name} of {Actor}: the app answered {Status}: {Body}", timer.Name, entry.Key, reply.StatusCode, reply.BodyText(500));
                    if (reply.AsksToCancel) break;
                }
                catch (Exception ex) when (ex is HttpRequestException or TurnTimeoutException)
                {
                    // As daprd: a failed tick is logged and the timer goes on.
                    logger.LogWarning("Timer {Name} of {Actor} could not fire: {Error}", timer.Name, entry.Key, ex.Message);
                }

                var (done, next, left) = Schedule.AfterFire(due, schedule.Period, repetitionsLeft, schedule.ExpiresAt, clock.GetUtcNow());
                if (done) break;
                (due, repetitionsLeft) = (next, left);
            }
        }
        catch (OperationCanceledException) when (timer.Stopping.IsCancellationRequested)
        {
            // Deleted, replaced, or the actor was deactivated.
        }
        catch (Exception ex)
        {
            logger.LogWarning("Timer {Name} of {Actor} stopped: {Error}", timer.Name, entry.Key, ex.Message);
        }
        finally
        {
            if (entry.RemoveTimer(timer.Name, onlyThis: timer)) table.Release(entry);
            timer.Dispose();
        }
    }
}
