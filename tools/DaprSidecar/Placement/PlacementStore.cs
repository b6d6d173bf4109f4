using Npgsql;
using NpgsqlTypes;
using Personalization.DaprSidecar.Actors;
using Personalization.DaprSidecar.Storage;

namespace Personalization.DaprSidecar.Placement;

/// <summary>
/// The placement tables: each host's lease (renewed by its heartbeat, judged by PostgreSQL's clock so hosts' clocks
/// need not agree) and which host each active actor is on. A row per active actor is the guard that keeps an actor
/// active on one host at a time: a host takes it only if no other host with a live lease holds it.
/// </summary>
public sealed class PlacementStore(SidecarDatabase database)
{
    private readonly string _hosts = database.Schema + ".placement_hosts";
    private readonly string _actors = database.Schema + ".placement_actors";

    /// <summary>A restarted host starts with nothing active, so it gives up what its previous run held.</summary>
    public async Task JoinAsync(string host, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand($"delete from {_actors} where host = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = host });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Renews this host's lease with the actor types it hosts, and returns the hosts whose leases are live.</summary>
    public async Task<IReadOnlyList<LiveHost>> HeartbeatAsync(
        string host, IReadOnlyCollection<string> actorTypes, TimeSpan hostTimeout, CancellationToken cancellationToken)
    {
        await using var batch = database.DataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            $"insert into {_hosts} (host, actor_types, heartbeat_at) values ($1, $2, now()) " +
            "on conflict (host) do update set actor_types = excluded.actor_types, heartbeat_at = excluded.heartbeat_at")
        {
            Parameters =
            {
                new NpgsqlParameter { Value = host },
                new NpgsqlParameter { Value = actorTypes.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
            },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            $"select host, actor_types from {_hosts} where heartbeat_at > now() - $1")
        {
            Parameters = { new NpgsqlParameter { Value = hostTimeout } },
        });
        var hosts = new List<LiveHost>();
        // The reader starts at the select: Npgsql skips the insert, which returns no rows.
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            hosts.Add(new LiveHost(reader.GetString(0), reader.GetFieldValue<string[]>(1)));
        return hosts;
    }

    /// <summary>
    /// Takes <paramref name="actor"/> for <paramref name="host"/> unless another host with a live lease holds it;
    /// returns null when taken, or the host that holds it.
    /// </summary>
    public async Task<string?> TryTakeAsync(ActorKey actor, string host, TimeSpan hostTimeout, CancellationToken cancellationToken)
    {
        // Always "do update", so the row comes back with its holder even when a concurrent take committed after this
        // statement's snapshot (a plain select would not see it).
        await using var command = database.DataSource.CreateCommand($"""
            insert into {_actors} as a (actor_type, actor_id, host) values ($1, $2, $3)
            on conflict (actor_type, actor_id) do update set host = case
                when a.host = excluded.host
                  or not exists (select 1 from {_hosts} h where h.host = a.host and h.heartbeat_at > now() - $4)
                then excluded.host else a.host end
            returning host
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = actor.Type });
        command.Parameters.Add(new NpgsqlParameter { Value = actor.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = host });
        command.Parameters.Add(new NpgsqlParameter { Value = hostTimeout });
        var holder = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        return holder == host ? null : holder;
    }

    public async Task ReleaseAsync(ActorKey actor, string host, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(
            $"delete from {_actors} where actor_type = $1 and actor_id = $2 and host = $3");
        command.Parameters.Add(new NpgsqlParameter { Value = actor.Type });
        command.Parameters.Add(new NpgsqlParameter { Value = actor.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = host });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A clean stop: the others may place this host's actors at once instead of after its lease runs out.</summary>
    public async Task LeaveAsync(string host, CancellationToken cancellationToken)
    {
        await using var batch = database.DataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"delete from {_actors} where host = $1") { Parameters = { new NpgsqlParameter { Value = host } } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"delete from {_hosts} where host = $1") { Parameters = { new NpgsqlParameter { Value = host } } });
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>A host with a live lease and the actor types its apps host.</summary>
public sealed record LiveHost(string Host, IReadOnlyList<string> ActorTypes);
