using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;
using Personalization.Recommendation.Models;

namespace Personalization.Recommendation.Scenarios;

/// <summary>
/// Scenarios in PostgreSQL, per tenant. Serving reads them through a short per-replica cache, so a change reaches
/// every replica within <see cref="CacheFor"/>.
/// </summary>
public sealed class ScenarioStore(NpgsqlDataSource dataSource, RecommendationSchema schema, TimeProvider clock) : IDisposable
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);
    private const string Table = RecommendationSchema.Name + ".scenarios";
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    public void Dispose() => _cache.Dispose();

    /// <summary>Creates or replaces the scenario; true when it is new.</summary>
    public async Task<(Scenario Scenario, bool Created)> PutAsync(string tenantId, string name, ScenarioDefinition definition, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        var scenario = new Scenario(name, definition, clock.GetUtcNow());
        await using var command = dataSource.CreateCommand($"""
            insert into {Table} (tenant_id, name, definition, updated_at) values ($1, $2, $3::jsonb, $4)
            on conflict (tenant_id, name) do update set definition = excluded.definition, updated_at = excluded.updated_at
            returning (xmax = 0)
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(name);
        command.Parameters.AddWithValue(JsonSerializer.Serialize(definition, JsonSerializerOptions.Web));
        command.Parameters.AddWithValue(scenario.UpdatedAt);
        var created = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
        _cache.Remove((tenantId, name));
        return (scenario, created);
    }

    public async Task<IReadOnlyList<Scenario>> ListAsync(string tenantId, CancellationToken cancellationToken) =>
        await QueryAsync($"select name, definition, updated_at from {Table} where tenant_id = $1 order by name", [tenantId], cancellationToken);

    public async Task<Scenario?> GetAsync(string tenantId, string name, CancellationToken cancellationToken) =>
        (await QueryAsync($"select name, definition, updated_at from {Table} where tenant_id = $1 and name = $2", [tenantId, name], cancellationToken))
        .SingleOrDefault();

    public async Task<bool> DeleteAsync(string tenantId, string name, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand($"delete from {Table} where tenant_id = $1 and name = $2");
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(name);
        var deleted = await command.ExecuteNonQueryAsync(cancellationToken) > 0;
        _cache.Remove((tenantId, name));
        return deleted;
    }

    /// <summary>The scenario as serving sees it: from this replica's cache when read within <see cref="CacheFor"/>.</summary>
    public async ValueTask<Scenario?> FindAsync(string tenantId, string name, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue((tenantId, name), out Scenario? cached)) return cached;
        var scenario = await GetAsync(tenantId, name, cancellationToken);
        _cache.Set((tenantId, name), scenario, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = CacheFor, Size = 1 });
        return scenario;
    }

    private async Task<List<Scenario>> QueryAsync(string sql, string[] parameters, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters) command.Parameters.AddWithValue(parameter);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var scenarios = new List<Scenario>();
        while (await reader.ReadAsync(cancellationToken))
            scenarios.Add(new Scenario(reader.GetString(0),
                JsonSerializer.Deserialize<ScenarioDefinition>(reader.GetString(1), JsonSerializerOptions.Web)!,
                reader.GetFieldValue<DateTimeOffset>(2)));
        return scenarios;
    }
}
