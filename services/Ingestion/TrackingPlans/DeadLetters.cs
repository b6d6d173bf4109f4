using Marten;
using Personalization.Contracts.EventLog;
using Personalization.Ingestion.Pipeline;
using Personalization.Ingestion.Storage;
using Personalization.Ingestion.Validation;

namespace Personalization.Ingestion.TrackingPlans;

public sealed record ReplayOutcome(int Replayed, int StillFailing, int Stored, int Duplicates);

/// <summary>Keeps dead letters durably, and replays them through the normal append once their plan is fixed.</summary>
public sealed class DeadLetters(IDocumentStore store, TrackingPlanRegistry plans, EventPreparation preparation, GroupCommitWriter writer, TimeProvider clock)
{
    public const int MaxPerReplay = 1_000;

    public async Task SaveAsync(IReadOnlyList<DeadLetter> deadLetters, CancellationToken cancellationToken)
    {
        if (deadLetters.Count == 0) return;
        await using var session = store.LightweightSession();
        session.Insert<DeadLetter>(deadLetters);
        await session.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Checks the tenant's waiting dead letters (or the given ones) again: an invalid message is parsed again and,
    /// once valid, prepared as a live one is (identity, screening, consent), and every event is checked against the
    /// current plans; those that pass are appended (deduplicated like any event)
    /// and marked replayed; the rest keep their new reasons.
    /// </summary>
    public async Task<ReplayOutcome> ReplayAsync(string tenantId, IReadOnlyCollection<Guid>? ids, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var query = session.Query<DeadLetter>().Where(d => d.TenantId == tenantId && d.ReplayedAt == null);
        if (ids is { Count: > 0 })
            query = query.Where(d => d.Id.IsOneOf(ids.ToArray()));
        var waiting = await query.OrderBy(d => d.ReceivedAt).Take(MaxPerReplay).ToListAsync(cancellationToken);

        var now = clock.GetUtcNow();
        var events = new Dictionary<Guid, EventAccepted>();
        var reasons = new Dictionary<Guid, IReadOnlyList<string>>();
        var reparsed = new List<(Guid Letter, EventAccepted Event)>();
        foreach (var letter in waiting)
        {
            if (letter.Event is { } stored)
            {
                // Prepared when it was first taken: it failed its plan or the store.
                events[letter.Id] = stored;
                continue;
            }
            var (parsed, problems) = StoredMessages.Parse(letter.Raw!, letter.Format, new EventOrigin(letter.TenantId, letter.SourceId, letter.ReceivedAt ?? now));
            if (parsed is not null) reparsed.Add((letter.Id, parsed));
            else reasons[letter.Id] = problems;
        }
        var prepared = reparsed.Count > 0 ? await preparation.PrepareAsync(reparsed.ConvertAll(r => r.Event), cancellationToken) : [];
        for (var i = 0; i < reparsed.Count; i++)
            events[reparsed[i].Letter] = prepared[i];
        var (passed, failed) = await plans.SplitAsync([.. events.Values], cancellationToken);
        var appended = passed.Count > 0 ? await writer.AppendAsync(passed, cancellationToken) : AppendOutcome.None;

        var failures = failed.ToDictionary(f => (object)f.Event!, ReferenceEqualityComparer.Instance);
        foreach (var letter in waiting)
            session.Store(reasons.TryGetValue(letter.Id, out var invalid) ? letter with { Reasons = invalid }
                : failures.TryGetValue(events[letter.Id], out var failure) ? letter with { Reasons = failure.Reasons, PlanVersion = failure.PlanVersion }
                : letter with { ReplayedAt = now });
        await session.SaveChangesAsync(cancellationToken);
        var stillFailing = reasons.Count + failures.Count;
        return new ReplayOutcome(waiting.Count - stillFailing, stillFailing, appended.Stored, appended.Duplicates);
    }
}
