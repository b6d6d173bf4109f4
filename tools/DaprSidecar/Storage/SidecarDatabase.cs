using Microsoft.Extensions.Options;
using Npgsql;

namespace Personalization.DaprSidecar.Storage;

/// <summary>
/// The emulator's PostgreSQL tables, in their own schema: actor state (daprd's actor state store), reminders
/// (daprd's Scheduler), and with placement on the hosts' leases and which host each active actor is on (daprd's
/// placement service). Created idempotently at start, before the emulator listens.
/// </summary>
public sealed class SidecarDatabase(NpgsqlDataSource dataSource, IOptions<SidecarOptions> options) : IHostedService
{
    public string Schema { get; } = options.Value.Schema;

    public NpgsqlDataSource DataSource { get; } = dataSource;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Two emulators starting at once on a fresh database would race on "create schema if not exists".
        await using (var lockCommand = new NpgsqlCommand("select pg_advisory_xact_lock(hashtext(@schema))", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("schema", Schema);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var create = new NpgsqlCommand(CreateSql, connection, transaction))
            await create.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Values are kept as the JSON text the SDK sent, so a read returns exactly what was written.
    private string CreateSql => $"""
        create schema if not exists {Schema};

        create table if not exists {Schema}.actor_state (
            actor_type text not null,
            actor_id   text not null,
            key        text not null,
            value      text not null,
            updated_at timestamptz not null default now(),
            primary key (actor_type, actor_id, key)
        );

        create table if not exists {Schema}.reminders (
            actor_type       text not null,
            actor_id         text not null,
            name             text not null,
            registration     uuid not null,
            data             text,
            due_time         text not null,
            period           text not null,
            ttl              text not null,
            next_fire_at     timestamptz not null,
            expires_at       timestamptz,
            repetitions_left integer not null,
            primary key (actor_type, actor_id, name)
        );

        create index if not exists reminders_next_fire_at on {Schema}.reminders (next_fire_at);

        create table if not exists {Schema}.placement_hosts (
            host         text primary key,
            actor_types  text[] not null,
            heartbeat_at timestamptz not null
        );

        create table if not exists {Schema}.placement_actors (
            actor_type text not null,
            actor_id   text not null,
            host       text not null,
            primary key (actor_type, actor_id)
        );

        create index if not exists placement_actors_host on {Schema}.placement_actors (host);
        """;
}
