using Npgsql;
using Personalization.DaprSidecar.Actors;
using Personalization.DaprSidecar.Storage;

namespace Personalization.DaprSidecar.Reminders;

/// <summary>Reminders in PostgreSQL, so they outlive the emulator, as daprd's Scheduler keeps them.</summary>
public sealed class ReminderStore(SidecarDatabase database)
{
    private const string Columns =
        "actor_type, actor_id, name, registration, data, due_time, period, ttl, next_fire_at, expires_at, repetitions_left";

    private readonly string _table = database.Schema + ".reminders";

    public async Task UpsertAsync(StoredReminder reminder, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(
            $"insert into {_table} ({Columns}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) " +
            "on conflict (actor_type, actor_id, name) do update set registration = excluded.registration, data = excluded.data, " +
            "due_time = excluded.due_time, period = excluded.period, ttl = excluded.ttl, next_fire_at = excluded.next_fire_at, " +
            "expires_at = excluded.expires_at, repetitions_left = excluded.repetitions_left");
        AddKey(command, reminder.Actor, reminder.Name);
        command.Parameters.Add(new NpgsqlParameter { Value = reminder.Registration });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)reminder.DataJson ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = reminder.DueTime });
        command.Parameters.Add(new NpgsqlParameter { Value = reminder.Period });
        command.Parameters.Add(new NpgsqlParameter { Value = reminder.Ttl });
        command.Parameters.Add(new NpgsqlParameter { Value = reminder.NextFireAt.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = (object?)reminder.ExpiresAt?.ToUniversalTime() ?? DBNull.Value,
            NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz,
        });
        command.Parameters.Add(new NpgsqlParameter { Value = reminder.RepetitionsLeft });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<StoredReminder?> GetAsync(ActorKey actor, string name, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(
            $"select {Columns} from {_table} where actor_type = $1 and actor_id = $2 and name = $3");
        AddKey(command, actor, name);
        return (await ReadAsync(command, cancellationToken)).FirstOrDefault();
    }

    public async Task<bool> DeleteAsync(ActorKey actor, string name, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(
            $"delete from {_table} where actor_type = $1 and actor_id = $2 and name = $3");
        AddKey(command, actor, name);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>Reminders due at <paramref name="now"/>, earliest first.</summary>
    /// <param name="after">The last reminder of the page before (null: from the first due).</param>
    public async Task<IReadOnlyList<StoredReminder>> DueAsync(DateTimeOffset now, int limit, StoredReminder? after, CancellationToken cancellationToken)
    {
        // In one total order, so paging on it skips and repeats nothing.
        await using var command = database.DataSource.CreateCommand(
            $"select {Columns} from {_table} where next_fire_at <= $1 and (next_fire_at, actor_type, actor_id, name) > ($3, $4, $5, $6) " +
            "order by next_fire_at, actor_type, actor_id, name limit $2");
        command.Parameters.Add(new NpgsqlParameter { Value = now.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        command.Parameters.Add(new NpgsqlParameter { Value = (after?.NextFireAt ?? DateTimeOffset.MinValue).ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = after?.Actor.Type ?? "" });
        command.Parameters.Add(new NpgsqlParameter { Value = after?.Actor.Id ?? "" });
        command.Parameters.Add(new NpgsqlParameter { Value = after?.Name ?? "" });
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>When the next reminder after <paramref name="now"/> is due, if any.</summary>
    public async Task<DateTimeOffset?> NextDueAfterAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand($"select min(next_fire_at) from {_table} where next_fire_at > $1");
        command.Parameters.Add(new NpgsqlParameter { Value = now.ToUniversalTime() });
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime next
            ? new DateTimeOffset(DateTime.SpecifyKind(next, DateTimeKind.Utc))
            : null;
    }

    /// <summary>Ends a finished reminder, unless it was registered anew meanwhile.</summary>
    public async Task CompleteAsync(StoredReminder reminder, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(
            $"delete from {_table} where actor_type = $1 and actor_id = $2 and name = $3 and registration = $4");
        AddKey(command, reminder.Actor, reminder.Name);
        command.Parameters.Add(new NpgsqlParameter { Value = reminder.Registration });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Moves a reminder to its next time, unless it was registered anew meanwhile.</summary>
    public async Task RescheduleAsync(StoredReminder reminder, DateTimeOffset next, int repetitionsLeft, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(
            $"update {_table} set next_fire_at = $5, repetitions_left = $6 " +
            "where actor_type = $1 and actor_id = $2 and name = $3 and registration = $4");
        AddKey(command, reminder.Actor, reminder.Name);
        command.Parameters.Add(new NpgsqlParameter { Value = reminder.Registration });
        command.Parameters.Add(new NpgsqlParameter { Value = next.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = repetitionsLeft });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddKey(NpgsqlCommand command, ActorKey actor, string name)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = actor.Type });
        command.Parameters.Add(new NpgsqlParameter { Value = actor.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = name });
    }

    private static async Task<IReadOnlyList<StoredReminder>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var reminders = new List<StoredReminder>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            reminders.Add(new StoredReminder(
                new ActorKey(reader.GetString(0), reader.GetString(1)),
                reader.GetString(2),
                reader.GetGuid(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6),
                reader.GetString(7),
                reader.GetFieldValue<DateTimeOffset>(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
                reader.GetInt32(10)));
        }
        return reminders;
    }
}
