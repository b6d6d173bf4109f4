using Personalization.Triggers.Journeys;
using Personalization.Triggers.Occurrences;

namespace Personalization.Triggers.Broadcasts;

/// <summary>
/// Runs the broadcasts: every few seconds, each live journey whose entry is a segment's members on a schedule is
/// checked for a run due; a due run walks the segment's members page by page (from Segmentation) and enters each
/// identified member, saving its place after every page. The journey's re-entry policy applies to each run's
/// entrants as to any entry ("everyTime" or "oncePer" for a weekly broadcast).
/// </summary>
public sealed class BroadcastScheduler(JourneyCatalog journeys, BroadcastRuns runs, SegmentMembersClient members, OccurrenceRouter router,
    TimeProvider clock, ILogger<BroadcastScheduler> logger) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, clock);
        do
        {
            try
            {
                foreach (var (tenantId, live) in await journeys.BroadcastsAsync(stoppingToken))
                    await RunDueAsync(tenantId, live, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "A broadcast run failed; it goes on from its last page on the next tick");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task RunDueAsync(string tenantId, LiveJourney live, CancellationToken cancellationToken)
    {
        var entry = (BroadcastEntry)live.Definition.Entry;
        if (BroadcastSchedule.LatestDue(entry, clock.GetUtcNow()) is not { } runAt
            || await runs.TakeAsync(tenantId, live.Id, runAt, clock.GetUtcNow(), cancellationToken) is not { } run)
            return;
        var cursor = run.Cursor;
        do
        {
            var page = await members.PageAsync(tenantId, entry.SegmentId, cursor, cancellationToken);
            foreach (var member in page.Members)
                if (member.UserId is { } userId)
                    await router.EnterBroadcastAsync(live, tenantId, userId, runAt);
            cursor = page.Next;
            await runs.AdvanceAsync(run, cursor, clock.GetUtcNow(), cancellationToken);
        } while (cursor is not null);
        logger.LogInformation("Broadcast {Journey} of tenant {Tenant} for {RunAt:O} entered the members of {Segment}", live.Id, tenantId, runAt, entry.SegmentId);
    }
}
