using Npgsql;

namespace Personalization.ServiceDefaults;

/// <summary>
/// A service's own tables in a PostgreSQL schema of its own, created once per process on first use from idempotent
/// DDL. A failure (PostgreSQL away) is tried again on the next call, and replicas starting together take turns.
/// </summary>
public abstract class OwnedSchema(NpgsqlDataSource dataSource, string name, string ddl)
{
    private Task? _ready;

    public async Task EnsureAsync()
    {
        var creating = _ready ??= CreateAsync();
        try
        {
            await creating;
        }
        catch
        {
            _ = Interlocked.CompareExchange(ref _ready, null, creating);
            throw;
        }
    }

    private async Task CreateAsync()
    {
        await using var command = dataSource.CreateCommand($"""
            select pg_advisory_xact_lock(hashtext('{name}.schema'));
            create schema if not exists {name};
            {ddl}
            """);
        await command.ExecuteNonQueryAsync();
    }
}
