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

    /// <summary>
    /// The connection string with Npgsql's automatic preparation on (unless it says otherwise): the emulator sends the
    /// same few statements thousands of times a second, and PostgreSQL then parses and plans each once per
    /// connection. Connections are not reset when returned to the pool (a reset would drop the prepared statements,
    /// and the emulator sets no session state to clear).
    /// </summary>
    public static string WithPreparedStatements(string connectionString)
    {
        // Npgsql's own builder knows every keyword, so only the generic one tells what the string itself sets.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("Max Auto Prepare")) settings.MaxAutoPrepare = 16;
        if (!given.ContainsKey("Auto Prepare Min Usages")) settings.AutoPrepareMinUsages = 2;
        if (!given.ContainsKey("No Reset On Close")) settings.NoResetOnClose = true;
        return settings.ConnectionString;
    }

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
