using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;
using Personalization.Recommendation.Models;

namespace Personalization.Recommendation.Decisions;

/// <summary>One version of a placement's rules, as its author wrote them.</summary>
public sealed record PlacementVersion(string PlacementId, int Version, JsonElement Definition, string? Note, DateTimeOffset CreatedAt);

/// <summary>A version with its rules read, as decisions use it.</summary>
public sealed record ServedPlacement(PlacementVersion Version, ParsedPlacement Parsed);

/// <summary>
/// Placements in PostgreSQL: every put is a new version (the earlier ones stay readable), and decisions use the
/// latest through a short per-replica cache (<see cref="CacheFor"/>).
/// </summary>
public sealed class PlacementStore(NpgsqlDataSource dataSource, RecommendationSchema schema, TimeProvider clock) : IDisposable
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);
    private const string Table = RecommendationSchema.Name + ".placement_versions";
    private const string Columns = "placement_id, version, definition, note, created_at";
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    public void Dispose() => _cache.Dispose();

    public async Task<PlacementVersion> PutAsync(string tenantId, string placementId, JsonElement definition, string? note, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var stored = (await QueryAsync($"""
                    insert into {Table} (tenant_id, placement_id, version, definition, note, created_at)
                    select $1, $2, coalesce(max(version), 0) + 1, $3::jsonb, $4, $5 from {Table} where tenant_id = $1 and placement_id = $2
                    returning {Columns}
                    """, [tenantId, placementId, definition.GetRawText(), (object?)note ?? DBNull.Value, clock.GetUtcNow()], cancellationToken)).Single();
                _cache.Remove((tenantId, placementId, (int?)null));
                return stored;
            }
            // Two puts at once chose the same number: the later one takes the next.
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && attempt < 5)
            {
            }
        }
    }

    /// <summary>Each placement's latest version.</summary>
    public Task<List<PlacementVersion>> ListAsync(string tenantId, CancellationToken cancellationToken) => QueryAsync(
        $"select distinct on (placement_id) {Columns} from {Table} where tenant_id = $1 order by placement_id, version desc", [tenantId], cancellationToken);

    public Task<List<PlacementVersion>> VersionsAsync(string tenantId, string placementId, CancellationToken cancellationToken) => QueryAsync(
        $"select {Columns} from {Table} where tenant_id = $1 and placement_id = $2 order by version desc", [tenantId, placementId], cancellationToken);

    /// <summary>The version asked for, or the latest when <paramref name="version"/> is null.</summary>
    public async Task<PlacementVersion?> GetAsync(string tenantId, string placementId, int? version, CancellationToken cancellationToken) =>
        (await QueryAsync($"select {Columns} from {Table} where tenant_id = $1 and placement_id = $2 and ($3::int is null or version = $3) order by version desc limit 1",
            [tenantId, placementId, (object?)version ?? DBNull.Value], cancellationToken)).SingleOrDefault();

    /// <summary>
    /// A version with its rules read (the latest when <paramref name="version"/> is null), as decisions see it: from
    /// this replica's cache when read within <see cref="CacheFor"/>.
    /// </summary>
    public async ValueTask<ServedPlacement?> ServedAsync(string tenantId, string placementId, int? version, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue((tenantId, placementId, version), out ServedPlacement? cached)) return cached;
        var found = await GetAsync(tenantId, placementId, version, cancellationToken);
        // Stored versions were valid when put, so they read again.
        var served = found is null ? null : new ServedPlacement(found, PlacementParser.Parse(found.Definition).Parsed!);
        _cache.Set((tenantId, placementId, version), served, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = CacheFor, Size = 1 });
        return served;
    }

    private async Task<List<PlacementVersion>> QueryAsync(string sql, object[] parameters, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters) command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var versions = new List<PlacementVersion>();
        while (await reader.ReadAsync(cancellationToken))
            versions.Add(new PlacementVersion(reader.GetString(0), reader.GetInt32(1), JsonDocument.Parse(reader.GetString(2)).RootElement.Clone(),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4)));
        return versions;
    }
}
