using Npgsql;
using Personalization.DaprSidecar.Actors;
using Personalization.DaprSidecar.Storage;

namespace Personalization.DaprSidecar.State;

/// <summary>Actor state in PostgreSQL: one row per (type, id, key), a transaction applied atomically.</summary>
public sealed class ActorStateStore(SidecarDatabase database)
{
    private readonly string _table = database.Schema + ".actor_state";

    public async Task<string?> GetAsync(ActorKey actor, string key, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(
            $"select value from {_table} where actor_type = @type and actor_id = @id and key = @key");
        command.Parameters.AddWithValue("type", actor.Type);
        command.Parameters.AddWithValue("id", actor.Id);
        command.Parameters.AddWithValue("key", key);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>
    /// Applies the operations as one transaction. Applied in order, the last operation on a key decides it, so each
    /// key's last one is all that is written: every upsert in one statement, every delete in another.
    /// </summary>
    public async Task ApplyAsync(ActorKey actor, IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken)
    {
        if (operations.Count == 0) return;
        var last = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var operation in operations)
            last[operation.Key] = operation.ValueJson;
        var upserts = last.Where(o => o.Value is not null).ToArray();
        var deletes = last.Where(o => o.Value is null).Select(o => o.Key).ToArray();

        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        // A single statement is atomic by itself; two need a transaction.
        await using var transaction = upserts.Length > 0 && deletes.Length > 0 ? await connection.BeginTransactionAsync(cancellationToken) : null;
        if (upserts.Length > 0)
        {
            await using var command = new NpgsqlCommand(
                $"insert into {_table} (actor_type, actor_id, key, value) select $1, $2, k, v from unnest($3::text[], $4::text[]) as t(k, v) " +
                "on conflict (actor_type, actor_id, key) do update set value = excluded.value, updated_at = now()", connection, transaction);
            command.Parameters.Add(new NpgsqlParameter { Value = actor.Type });
            command.Parameters.Add(new NpgsqlParameter { Value = actor.Id });
            command.Parameters.Add(new NpgsqlParameter { Value = Array.ConvertAll(upserts, o => o.Key) });
            command.Parameters.Add(new NpgsqlParameter { Value = Array.ConvertAll(upserts, o => o.Value!) });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        if (deletes.Length > 0)
        {
            await using var command = new NpgsqlCommand($"delete from {_table} where actor_type = $1 and actor_id = $2 and key = any($3)", connection, transaction);
            command.Parameters.Add(new NpgsqlParameter { Value = actor.Type });
            command.Parameters.Add(new NpgsqlParameter { Value = actor.Id });
            command.Parameters.Add(new NpgsqlParameter { Value = deletes });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        if (transaction is not null)
            await transaction.CommitAsync(cancellationToken);
    }
}
