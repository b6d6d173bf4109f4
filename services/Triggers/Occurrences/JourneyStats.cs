using Npgsql;

namespace Personalization.Triggers.Occurrences;

/// <summary>What happened at one step: people waiting there now, and what became of the messages it queued.</summary>
/// <param name="Skipped">Skips by reason (the reason's kind: "frequency cap", "consent", "unsubscribed", ...).</param>
public sealed record StepStats(string StepId, long Waiting, long Queued, long Sent, long Deferred, IReadOnlyDictionary<string, long> Skipped);

/// <summary>A journey's occurrences over all its versions: entered (held-out entrants included), how they ended or wait, and each step's record.</summary>
public sealed record JourneyStats(string JourneyId, long Entered, long HeldOut, long Waiting, long Completed, long Exited, IReadOnlyList<StepStats> Steps);

/// <summary>Counts a journey's record of entries, steps and sends.</summary>
public sealed class JourneyStatsReader(NpgsqlDataSource dataSource, TriggersSchema schema)
{
    public async Task<JourneyStats> ReadAsync(string tenantId, string journeyId, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        var steps = new Dictionary<string, (long Waiting, long Queued, long Sent, long Deferred, Dictionary<string, long> Skipped)>(StringComparer.Ordinal);
        await using var command = dataSource.CreateCommand($"""
            select null::text, 'entered', count(*) filter (where outcome = 'entered'), null::text from {TriggersSchema.Name}.journey_log where tenant_id = $1 and journey_id = $2
            union all
            select null, status, count(*), null from {TriggersSchema.Name}.occurrences where tenant_id = $1 and journey_id = $2 group by status
            union all
            select step_id, 'Waiting', count(*), null from {TriggersSchema.Name}.occurrences where tenant_id = $1 and journey_id = $2 and status = 'Waiting' group by step_id
            union all
            select step_id, outcome, count(*), case when outcome = 'skipped' then split_part(detail, ':', 1) end
            from {TriggersSchema.Name}.journey_log where tenant_id = $1 and journey_id = $2 and outcome in ('queued', 'sent', 'deferred', 'skipped')
            group by step_id, outcome, 4
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(journeyId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var outcome = reader.GetString(1);
            var count = reader.GetInt64(2);
            if (reader.IsDBNull(0))
            {
                totals[outcome] = count;
                continue;
            }
            var step = steps.GetValueOrDefault(reader.GetString(0), (0, 0, 0, 0, new Dictionary<string, long>(StringComparer.Ordinal)));
            switch (outcome)
            {
                case "Waiting": step.Waiting = count; break;
                case "queued": step.Queued = count; break;
                case "sent": step.Sent = count; break;
                case "deferred": step.Deferred = count; break;
                default: step.Skipped[reader.GetString(3)] = count; break;
            }
            steps[reader.GetString(0)] = step;
        }
        return new JourneyStats(journeyId, totals.GetValueOrDefault("entered"), totals.GetValueOrDefault("HeldOut"), totals.GetValueOrDefault("Waiting"),
            totals.GetValueOrDefault("Completed"), totals.GetValueOrDefault("Exited"),
            steps.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new StepStats(s.Key, s.Value.Waiting, s.Value.Queued, s.Value.Sent, s.Value.Deferred, s.Value.Skipped)).ToList());
    }
}
