using Dapr.Actors.Runtime;
using Personalization.ServiceDefaults;
using Personalization.Triggers.Journeys;

namespace Personalization.Triggers.Occurrences;

/// <summary>
/// Runs the occurrences of one (tenant, journey, person, key). Dapr gives the actor one turn at a time, so an event
/// and a reminder never move the same occurrence at once. The occurrence lives in PostgreSQL beside the outbox, so
/// a step and the message it queues are written in one transaction; the actor's reminder is its alarm clock. The
/// reminder is set before that transaction commits: a crash between the two leaves a reminder that fires on the old
/// state, which runs the same step again and writes the same send key, never a second message. A reminder lost
/// with the sidecar's state is made up for by the sweep of overdue waits.
/// The person's events are consumed side by side, so a purchase right after the add-to-cart may be routed before
/// the occurrence exists. An occurrence entered on an event therefore reads, once it is committed, the person's
/// later events from the event log and hears them: any event routed before the commit was stored before it, and
/// any routed after it reaches the actor, whose turn it waits for. Hearing an event twice changes nothing.
/// </summary>
[Actor(TypeName = TypeName)]
public sealed class JourneyOccurrenceActor(ActorHost host, OccurrenceStore store, JourneyCatalog journeys, OccurrenceFactsReader facts,
    JourneyMetrics metrics, EventLogReader eventLog, TimeProvider clock) : Actor(host), IJourneyOccurrenceActor, IRemindable
{
    public const string TypeName = "JourneyOccurrence";
    private const string DueReminder = "due";

    /// <summary>A reminder repeats this often until the turn it fires succeeds and sets the next one.</summary>
    public static readonly TimeSpan ReminderRetry = TimeSpan.FromMinutes(1);

    public async Task EnterAsync(OccurrenceEntry entry)
    {
        if (await journeys.VersionAsync(entry.TenantId, entry.JourneyId, entry.Version, CancellationToken.None) is not { } journey) return;
        var known = await facts.ForAsync(entry.TenantId, entry.UserId, journey, CancellationToken.None);
        var now = clock.GetUtcNow();
        var actorId = Id.GetId();
        await using var session = await store.BeginAsync(CancellationToken.None);
        var past = await session.PastAsync(entry.TenantId, entry.JourneyId, entry.UserId, CancellationToken.None);
        if (EntryRules.Refusal(journey.Reentry, actorId, entry.EntryId, past, now) is not null) return;
        var occurrence = new Occurrence
        {
            ActorId = actorId,
            Number = past.Where(p => p.ActorId == actorId).Select(p => p.Number).DefaultIfEmpty().Max() + 1,
            TenantId = entry.TenantId,
            JourneyId = entry.JourneyId,
            Version = entry.Version,
            UserId = entry.UserId,
            Key = entry.Key,
            EntryId = entry.EntryId,
            EntryEvent = entry.EntryEvent,
            EnteredAt = now,
            Holdout = EntryRules.HeldOut(entry.TenantId, entry.JourneyId, entry.UserId, journey.Holdout),
        };
        await WriteAsync(session, occurrence, OccurrenceEngine.Start(journey, occurrence, now, known), now);
        metrics.Entered(occurrence);
        if (entry.StreamKey is null || occurrence.Status != OccurrenceStatus.Waiting || !journey.HearsEvents) return;
        foreach (var later in await eventLog.ReadAsync(entry.StreamKey, entry.StreamVersion + 1, toVersion: 0, CancellationToken.None))
            if (JourneyEvent.From(later) is { } e)
                await ReceiveAsync(e);
    }

    public async Task ReceiveAsync(JourneyEvent e)
    {
        if (await WaitingAsync() is not ({ } occurrence, { } journey)) return;
        var now = clock.GetUtcNow();
        var known = await facts.ForAsync(occurrence.TenantId, occurrence.UserId, journey, CancellationToken.None);
        var turn = OccurrenceEngine.Receive(journey, occurrence, e, now, known);
        if (!turn.Changed) return;
        await using var session = await store.BeginAsync(CancellationToken.None);
        await WriteAsync(session, occurrence, turn, now);
    }

    public async Task WakeAsync()
    {
        if (await WaitingAsync() is not ({ } occurrence, { } journey))
        {
            await UnregisterReminderAsync(DueReminder);
            return;
        }
        var now = clock.GetUtcNow();
        if (occurrence.DueAt > now)
        {
            // Early (a sweep, or a reminder set for an older wait): the right one is set again.
            await ScheduleAsync(occurrence, now);
            return;
        }
        metrics.Woke(occurrence, now - occurrence.DueAt!.Value);
        var known = await facts.ForAsync(occurrence.TenantId, occurrence.UserId, journey, CancellationToken.None);
        await using var session = await store.BeginAsync(CancellationToken.None);
        await WriteAsync(session, occurrence, OccurrenceEngine.Resume(journey, occurrence, now, known), now);
    }

    public Task ReceiveReminderAsync(string reminderName, byte[] state, TimeSpan dueTime, TimeSpan period) =>
        reminderName == DueReminder ? WakeAsync() : Task.CompletedTask;

    /// <summary>The actor's latest occurrence and its journey version, when it is waiting.</summary>
    private async Task<(Occurrence, JourneyDefinition)?> WaitingAsync()
    {
        if (await store.LatestAsync(Id.GetId(), CancellationToken.None) is not { Status: OccurrenceStatus.Waiting } occurrence
            || await journeys.VersionAsync(occurrence.TenantId, occurrence.JourneyId, occurrence.Version, CancellationToken.None) is not { } journey)
            return null;
        return (occurrence, journey);
    }

    private async Task WriteAsync(OccurrenceSession session, Occurrence occurrence, Turn turn, DateTimeOffset now)
    {
        await session.SaveAsync(occurrence, turn, now, CancellationToken.None);
        await ScheduleAsync(occurrence, now);
        await session.CommitAsync(CancellationToken.None);
        metrics.Written(occurrence, turn);
    }

    private async Task ScheduleAsync(Occurrence occurrence, DateTimeOffset now)
    {
        if (occurrence is { Status: OccurrenceStatus.Waiting, DueAt: { } due })
            await RegisterReminderAsync(DueReminder, null, due > now ? due - now : TimeSpan.Zero, ReminderRetry);
        else
            await UnregisterReminderAsync(DueReminder);
    }
}
