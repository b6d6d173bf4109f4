using System.Text.Json;
using Npgsql;
using Personalization.ServiceDefaults;
using Personalization.Triggers.Journeys;

namespace Personalization.Triggers.Occurrences;

/// <summary>
/// The occurrences in PostgreSQL, with what happened at their steps and the outbox of the messages they queued. A
/// turn's occurrence, records and sends are written in one transaction, so a step that sends is never recorded
/// without its message nor its message without the step; a send's key names it, so a turn run again after a crash
/// writes it once.
/// </summary>
public sealed class OccurrenceStore(NpgsqlDataSource dataSource, TriggersSchema schema)
{
    private const string Occurrences = TriggersSchema.Name + ".occurrences";
    private const string Columns = "actor_id, number, tenant_id, journey_id, version, user_id, key, entry_id, entry_event, entered_at, holdout, status, step_id, step_started_at, due_at, end_reason";

    /// <summary>The actor's latest occurrence, or null when it has none.</summary>
    public async Task<Occurrence?> LatestAsync(string actorId, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand($"select {Columns} from {Occurrences} where actor_id = $1 order by number desc limit 1");
        command.Parameters.AddWithValue(actorId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>The actors of these people's occurrences that wait, in any journey (they hear the person's events), in one query.</summary>
    public async Task<ILookup<(string TenantId, string UserId), string>> WaitingActorsAsync(
        IReadOnlyCollection<(string TenantId, string UserId)> people, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand(
            $"select o.tenant_id, o.user_id, o.actor_id from {Occurrences} o join unnest($1::text[], $2::text[]) p (tenant_id, user_id) " +
            "on o.tenant_id = p.tenant_id and o.user_id = p.user_id where o.status = 'Waiting'");
        command.Parameters.AddWithValue(people.Select(p => p.TenantId).ToArray());
        command.Parameters.AddWithValue(people.Select(p => p.UserId).ToArray());
        var waiting = new List<((string, string) Person, string ActorId)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) waiting.Add(((reader.GetString(0), reader.GetString(1)), reader.GetString(2)));
        return waiting.ToLookup(w => w.Person, w => w.ActorId);
    }

    /// <summary>Actors whose wait ended more than <paramref name="grace"/> ago and that are still waiting: their reminder was lost.</summary>
    public async Task<IReadOnlyList<string>> OverdueActorsAsync(DateTimeOffset now, TimeSpan grace, int limit, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand($"select actor_id from {Occurrences} where status = 'Waiting' and due_at < $1 order by due_at limit $2");
        command.Parameters.AddWithValue(now - grace);
        command.Parameters.AddWithValue(limit);
        return await ReadTextsAsync(command, cancellationToken);
    }

    public async Task<OccurrenceSession> BeginAsync(CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return new OccurrenceSession(connection, await connection.BeginTransactionAsync(cancellationToken));
    }

    internal static Occurrence Read(NpgsqlDataReader reader) => new()
    {
        ActorId = reader.GetString(0),
        Number = reader.GetInt32(1),
        TenantId = reader.GetString(2),
        JourneyId = reader.GetString(3),
        Version = reader.GetInt32(4),
        UserId = reader.GetString(5),
        Key = reader.GetString(6),
        EntryId = reader.GetString(7),
        EntryEvent = JsonDocument.Parse(reader.GetString(8)).RootElement.Clone(),
        EnteredAt = reader.GetFieldValue<DateTimeOffset>(9),
        Holdout = reader.GetBoolean(10),
        Status = Enum.Parse<OccurrenceStatus>(reader.GetString(11)),
        StepId = reader.IsDBNull(12) ? null : reader.GetString(12),
        StepStartedAt = reader.IsDBNull(13) ? null : reader.GetFieldValue<DateTimeOffset>(13),
        DueAt = reader.IsDBNull(14) ? null : reader.GetFieldValue<DateTimeOffset>(14),
        EndReason = reader.IsDBNull(15) ? null : reader.GetString(15),
    };

    private static async Task<IReadOnlyList<string>> ReadTextsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var texts = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) texts.Add(reader.GetString(0));
        return texts;
    }
}

/// <summary>One turn's transaction: the entry checks under the person's lock, then the occurrence, its records and its sends.</summary>
public sealed class OccurrenceSession(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
{
    private const string Occurrences = TriggersSchema.Name + ".occurrences";

    /// <summary>
    /// The person's occurrences of the journey, under any key, read under a lock of (tenant, journey, person) that
    /// holds to the commit: entries with two keys at once weigh the re-entry policy one after the other.
    /// </summary>
    public async Task<IReadOnlyList<PastOccurrence>> PastAsync(string tenantId, string journeyId, string userId, CancellationToken cancellationToken)
    {
        await using (var lockCommand = Command("select pg_advisory_xact_lock(hashtext('occurrences/' || $1 || '/' || $2 || '/' || $3))", tenantId, journeyId, userId))
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        await using var command = Command($"select actor_id, number, entry_id, entered_at, status from {Occurrences} where tenant_id = $1 and journey_id = $2 and user_id = $3",
            tenantId, journeyId, userId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var past = new List<PastOccurrence>();
        while (await reader.ReadAsync(cancellationToken))
            past.Add(new PastOccurrence(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                Enum.Parse<OccurrenceStatus>(reader.GetString(4))));
        return past;
    }

    /// <summary>Writes the occurrence as the turn left it, what happened at its steps, and the messages it queued.</summary>
    public async Task SaveAsync(Occurrence o, Turn turn, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(TriggersSql.Batched($"""
            insert into {Occurrences} (actor_id, number, tenant_id, journey_id, version, user_id, key, entry_id, entry_event, entered_at, holdout,
                status, step_id, step_started_at, due_at, end_reason, updated_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13, $14, $15, $16, $17)
            on conflict (actor_id, number) do update set status = excluded.status, step_id = excluded.step_id, step_started_at = excluded.step_started_at,
                due_at = excluded.due_at, end_reason = excluded.end_reason, updated_at = excluded.updated_at
            """, o.ActorId, o.Number, o.TenantId, o.JourneyId, o.Version, o.UserId, o.Key, o.EntryId, o.EntryEvent.GetRawText(), o.EnteredAt, o.Holdout,
            o.Status.ToString(), o.StepId, o.StepStartedAt, o.DueAt, o.EndReason, now));
        foreach (var record in turn.Records)
            batch.BatchCommands.Add(TriggersSql.JourneyRecord(o.TenantId, o.JourneyId, o.Version, o.UserId, o.ActorId, o.Number, record.StepId, record.Outcome, record.Detail, now));
        foreach (var send in turn.Sends)
            batch.BatchCommands.Add(TriggersSql.Batched($"""
                insert into {TriggersSchema.Name}.outbox (send_key, tenant_id, journey_id, version, user_id, actor_id, number, step_id, channel, template_id,
                    scenario, url, group_id, entry_event, created_at, not_before, status, trace_parent)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb, $15, $15, 'Pending', $16)
                on conflict (send_key) do nothing
                """, SendKey(o, send), o.TenantId, o.JourneyId, o.Version, o.UserId, o.ActorId, o.Number, send.Id, send.Channel.ToString(), send.Template,
                send.Scenario, send.Url?.ToString(), send.Group, o.EntryEvent.GetRawText(), now, StoredTraces.Current));
        await using (batch)
            await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task CommitAsync(CancellationToken cancellationToken) => transaction.CommitAsync(cancellationToken);

    /// <summary>(tenant, journey, version, person and key as the actor id, occurrence number, step): a message's identity.</summary>
    public static string SendKey(Occurrence o, SendStep step) => $"{o.TenantId}/{o.JourneyId}/v{o.Version}/{o.ActorId}.{o.Number}/{step.Id}";

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }

    private NpgsqlCommand Command(string sql, params object[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var parameter in parameters) command.Parameters.AddWithValue(parameter);
        return command;
    }
}
