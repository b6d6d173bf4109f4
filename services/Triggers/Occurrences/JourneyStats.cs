using Npgsql;

namespace Personalization.Triggers.Occurrences;

/// <summary>What happened at one step: people waiting there now, and what became of the messages it queued (or withheld from the holdout).</summary>
/// <param name="Skipped">Skips by reason (the reason's kind: "frequency cap", "consent", "unsubscribed", ...).</param>
/// <param name="Opened">Messages opened at least once; <paramref name="Clicked"/> likewise.</param>
public sealed record StepStats(string StepId, long Waiting, long Queued, long Withheld, long Sent, long Deferred, long Opened, long Clicked,
    IReadOnlyDictionary<string, long> Skipped);

/// <summary>Entrants of one side of the holdout split, and those of them whose occurrence ended on an exit criterion (the journey's goal).</summary>
public sealed record VariantStats(long Entered, long Converted)
{
    public double? ConversionRate => Entered == 0 ? null : (double)Converted / Entered;
}

/// <summary>
/// A journey's occurrences over all its versions: entered, waiting and how they ended; the treatment and the
/// holdout with their conversions, and the lift (treatment's conversion rate over the holdout's, less one); each step's record.
/// </summary>
public sealed record JourneyStats(string JourneyId, long Entered, long Waiting, long Completed, long Exited, VariantStats Treatment, VariantStats Holdout,
    double? Lift, IReadOnlyList<StepStats> Steps);

/// <summary>Counts a journey's occurrences and its record of steps, sends and engagement.</summary>
public sealed class JourneyStatsReader(NpgsqlDataSource dataSource, TriggersSchema schema)
{
    private sealed class Step
    {
        public long Waiting, Queued, Withheld, Sent, Deferred, Opened, Clicked;
        public Dictionary<string, long> Skipped { get; } = new(StringComparer.Ordinal);
    }

    public async Task<JourneyStats> ReadAsync(string tenantId, string journeyId, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        var byStatus = new Dictionary<(bool Holdout, string Status), long>();
        var steps = new SortedDictionary<string, Step>(StringComparer.Ordinal);
        await using var command = dataSource.CreateCommand($"""
            select 'occurrences', holdout, status, count(*), null::text from {TriggersSchema.Name}.occurrences
            where tenant_id = $1 and journey_id = $2 group by holdout, status
            union all
            select 'waiting', null, step_id, count(*), null from {TriggersSchema.Name}.occurrences
            where tenant_id = $1 and journey_id = $2 and status = 'Waiting' group by step_id
            union all
            select 'log', null, step_id, count(*), outcome || ':' || case when outcome = 'skipped' then split_part(detail, ':', 1) else '' end
            from {TriggersSchema.Name}.journey_log
            where tenant_id = $1 and journey_id = $2 and outcome in ('queued', 'withheld', 'sent', 'deferred', 'skipped', 'opened', 'clicked')
            group by step_id, 5
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(journeyId);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
            {
                var count = reader.GetInt64(3);
                if (reader.GetString(0) == "occurrences")
                {
                    byStatus[(reader.GetBoolean(1), reader.GetString(2))] = count;
                    continue;
                }
                var step = steps.TryGetValue(reader.GetString(2), out var known) ? known : steps[reader.GetString(2)] = new Step();
                if (reader.GetString(0) == "waiting")
                {
                    step.Waiting = count;
                    continue;
                }
                var (outcome, reason) = (reader.GetString(4).Split(':', 2)[0], reader.GetString(4).Split(':', 2)[1]);
                switch (outcome)
                {
                    case "queued": step.Queued = count; break;
                    case "withheld": step.Withheld = count; break;
                    case "sent": step.Sent = count; break;
                    case "deferred": step.Deferred = count; break;
                    case "opened": step.Opened = count; break;
                    case "clicked": step.Clicked = count; break;
                    default: step.Skipped[reason] = count; break;
                }
            }
        long Count(bool? holdout, string? status) =>
            byStatus.Where(s => (holdout is null || s.Key.Holdout == holdout) && (status is null || s.Key.Status == status)).Sum(s => s.Value);
        var treatment = new VariantStats(Count(false, null), Count(false, nameof(OccurrenceStatus.Exited)));
        var holdout = new VariantStats(Count(true, null), Count(true, nameof(OccurrenceStatus.Exited)));
        double? lift = treatment.ConversionRate is { } t && holdout.ConversionRate is { } h && h > 0 ? t / h - 1 : null;
        return new JourneyStats(journeyId, Count(null, null), Count(null, nameof(OccurrenceStatus.Waiting)), Count(null, nameof(OccurrenceStatus.Completed)),
            Count(null, nameof(OccurrenceStatus.Exited)), treatment, holdout, lift,
            steps.Select(s => new StepStats(s.Key, s.Value.Waiting, s.Value.Queued, s.Value.Withheld, s.Value.Sent, s.Value.Deferred, s.Value.Opened,
                s.Value.Clicked, s.Value.Skipped)).ToList());
    }
}
