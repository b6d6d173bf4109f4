namespace Personalization.Triggers.Occurrences;

/// <summary>
/// Wakes occurrences still waiting well after their time: their reminder was lost (the sidecar's state store was
/// reset, or a crash fell between setting it and committing). The actor ignores a wake that comes early.
/// </summary>
public sealed class OverdueSweeper(OccurrenceStore store, OccurrenceRouter router, TimeProvider clock, ILogger<OverdueSweeper> logger) : BackgroundService
{
    /// <summary>Longer than a reminder's retry period, so a reminder that is merely retrying is left to do it.</summary>
    public static readonly TimeSpan Grace = JourneyOccurrenceActor.ReminderRetry * 2;

    public static readonly TimeSpan Every = TimeSpan.FromSeconds(30);
    private const int Batch = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, clock);
        do
        {
            try
            {
                var overdue = await store.OverdueActorsAsync(clock.GetUtcNow(), Grace, Batch, stoppingToken);
                foreach (var actorId in overdue) await router.Actor(actorId).WakeAsync();
                if (overdue.Count > 0) logger.LogWarning("Woke {Count} occurrences whose wait had ended over {Grace} ago without their reminder", overdue.Count, Grace);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "The sweep of overdue waits failed; trying again in {Every}", Every);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
