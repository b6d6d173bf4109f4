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

    public async Task ApplyAsync(ActorKey actor, IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken)
    {
        if (operations.Count == 0) return;
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One round trip; statements run in order, so "set k then delete k" ends with k deleted, as in a state store.
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var operation in operations)
        {
            var command = operation.IsDelete
                ? new NpgsqlBatchCommand($"delete from {_table} where actor_type = $1 and actor_id = $2 and key = $3")
                : new NpgsqlBatchCommand(
                    $"insert into {_table} (actor_type, actor_id, key, value) values ($1, $2, $3, $4) " +
                    "on conflict (actor_type, actor_id, key) do update set value = excluded.value, updated_at = now()");
            command.Parameters.Add(new NpgsqlParameter { Value = actor.Type });
            command.Parameters.Add(new NpgsqlParameter { Value = actor.Id });
            command.Parameters.Add(new NpgsqlParameter { Value = operation.Key });
            if (!operation.IsDelete) command.Parameters.Add(new NpgsqlParameter { Value = operation.ValueJson });
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
