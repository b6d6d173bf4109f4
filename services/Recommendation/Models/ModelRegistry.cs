using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Personalization.Recommendation.Ranking;

namespace Personalization.Recommendation.Models;

/// <summary>
/// What a training run records beside the model: the data it saw, its held-out metrics, how long it took, and for a hybrid how its
/// ranker's features were spread (the reference of the drift check).
/// </summary>
public sealed record ModelSummary(
    DateTimeOffset? DataFrom,
    DateTimeOffset? DataTo,
    int Interactions,
    int Users,
    int Items,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<FeatureProfile>? RankerFeatures = null,
    double? TrainingSeconds = null);

/// <summary>A stored model version without its payload.</summary>
public sealed record ModelVersion(string TenantId, int Version, DateTimeOffset CreatedAt, string Algorithm, int PayloadBytes, ModelSummary Summary);

/// <summary>The version a tenant serves, since when, and the one it replaced.</summary>
public sealed record ActiveModel(int Version, DateTimeOffset ActivatedAt, int? Previous);

/// <summary>
/// Model versions in PostgreSQL, per tenant: numbered 1, 2, … in the order they were trained, each with its
/// compressed payload, settings and summary; and which one is active. Activating any stored version is also how a
/// rollback is done. Every replica reads the active version from here, so one activation reaches them all.
/// </summary>
public sealed class ModelRegistry(NpgsqlDataSource dataSource, RecommendationSchema schema, TimeProvider clock)
{
    private const string Schema = RecommendationSchema.Name;

    private Task EnsureSchemaAsync() => schema.EnsureAsync();

    /// <summary>Stores a trained model as the tenant's next version; returns its number.</summary>
    public async Task<int> AddAsync(string tenantId, TrainedModel model, ModelSummary summary, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync();
        var payload = model.ToBytes();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One writer per tenant at a time, so the next number is never taken twice.
        await using (var lockTenant = new NpgsqlCommand("select pg_advisory_xact_lock(hashtext('model_versions:' || $1))", connection, transaction))
        {
            lockTenant.Parameters.AddWithValue(tenantId);
            await lockTenant.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var insert = new NpgsqlCommand($"""
            insert into {Schema}.model_versions (tenant_id, version, created_at, algorithm, settings, summary, payload)
            select $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5, $6 from {Schema}.model_versions where tenant_id = $1
            returning version
            """, connection, transaction);
        insert.Parameters.AddWithValue(tenantId);
        insert.Parameters.AddWithValue(clock.GetUtcNow());
        insert.Parameters.AddWithValue(model.Algorithm);
        insert.Parameters.AddWithValue(NpgsqlDbType.Jsonb, JsonSerializer.Serialize(model.Settings));
        insert.Parameters.AddWithValue(NpgsqlDbType.Jsonb, JsonSerializer.Serialize(summary));
        insert.Parameters.AddWithValue(payload);
        var version = (int)(await insert.ExecuteScalarAsync(cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return version;
    }

    /// <summary>The tenant's versions, newest first, without payloads.</summary>
    public async Task<IReadOnlyList<ModelVersion>> ListAsync(string tenantId, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync();
        await using var command = dataSource.CreateCommand($"""
            select version, created_at, algorithm, length(payload), summary from {Schema}.model_versions
            where tenant_id = $1 order by version desc
            """);
        command.Parameters.AddWithValue(tenantId);
        var versions = new List<ModelVersion>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            versions.Add(new ModelVersion(tenantId, reader.GetInt32(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetInt32(3),
                JsonSerializer.Deserialize<ModelSummary>(reader.GetString(4))!));
        return versions;
    }

    /// <summary>A stored version's model, or null when the tenant has no such version.</summary>
    public async Task<TrainedModel?> LoadAsync(string tenantId, int version, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync();
        await using var command = dataSource.CreateCommand($"select payload from {Schema}.model_versions where tenant_id = $1 and version = $2");
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(version);
        return await command.ExecuteScalarAsync(cancellationToken) is byte[] payload ? TrainedModel.FromBytes(payload) : null;
    }

    /// <summary>Makes a stored version the active one (an earlier one: a rollback); false when there is no such version.</summary>
    public async Task<bool> ActivateAsync(string tenantId, int version, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync();
        await using var command = dataSource.CreateCommand($"""
            insert into {Schema}.active_models (tenant_id, version, activated_at, previous)
            select tenant_id, version, $3, null from {Schema}.model_versions where tenant_id = $1 and version = $2
            on conflict (tenant_id) do update set version = excluded.version, activated_at = excluded.activated_at,
                previous = {Schema}.active_models.version
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(version);
        command.Parameters.AddWithValue(clock.GetUtcNow());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Every tenant's active version: one small query, cheap enough for each replica to poll.</summary>
    public async Task<IReadOnlyDictionary<string, int>> ActiveVersionsAsync(CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync();
        await using var command = dataSource.CreateCommand($"select tenant_id, version from {Schema}.active_models");
        var versions = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) versions[reader.GetString(0)] = reader.GetInt32(1);
        return versions;
    }

    /// <summary>The tenant's active version, or null before the first activation.</summary>
    public async Task<ActiveModel?> ActiveAsync(string tenantId, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync();
        await using var command = dataSource.CreateCommand($"select version, activated_at, previous from {Schema}.active_models where tenant_id = $1");
        command.Parameters.AddWithValue(tenantId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new ActiveModel(reader.GetInt32(0), reader.GetFieldValue<DateTimeOffset>(1), reader.IsDBNull(2) ? null : reader.GetInt32(2));
    }
}
