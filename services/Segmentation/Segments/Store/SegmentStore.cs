using System.Text.Json;
using Npgsql;
using Personalization.Segmentation.Segments.Definitions;

namespace Personalization.Segmentation.Segments.Store;

/// <summary>
/// Segment definitions in PostgreSQL, per tenant and versioned: each change is a new version and every version is
/// kept. Saves of one tenant take turns (an advisory lock), so the reference and cycle checks see a settled set.
/// </summary>
public sealed class SegmentStore(NpgsqlDataSource dataSource, SegmentationSchema schema, TimeProvider clock)
{
    private const string Segments = SegmentationSchema.Name + ".segments";
    private const string Versions = SegmentationSchema.Name + ".segment_versions";

    public async Task<SaveResult> SaveAsync(string tenantId, string segmentId, ParsedDefinition draft, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, "select pg_advisory_xact_lock(hashtext('segments/' || $1))", cancellationToken, tenantId);

        var live = await LiveAsync(connection, tenantId, cancellationToken);
        var others = live.Where(s => s.Id != segmentId).ToDictionary(s => s.Id, s => s.Parsed, StringComparer.Ordinal);
        var errors = SegmentGraph.Check(segmentId, draft, others);
        if (errors.Count > 0) return new SaveResult(SaveOutcome.Invalid, 0, errors);

        var json = JsonSerializer.Serialize(draft.Definition, JsonSerializerOptions.Web);
        // jsonb equality ignores key order and spacing: the same definition sent again makes no version.
        await using (var same = new NpgsqlCommand($"""
            select s.version from {Segments} s join {Versions} v using (tenant_id, segment_id, version)
            where s.tenant_id = $1 and s.segment_id = $2 and s.deleted_at is null and v.definition = $3::jsonb
            """, connection))
        {
            Add(same, tenantId, segmentId, json);
            if (await same.ExecuteScalarAsync(cancellationToken) is int unchanged)
                return new SaveResult(SaveOutcome.Unchanged, unchanged, []);
        }

        var now = clock.GetUtcNow();
        await using var insert = new NpgsqlCommand($"""
            insert into {Versions} (tenant_id, segment_id, version, definition, created_at)
            select $1, $2, coalesce(max(version), 0) + 1, $3::jsonb, $4 from {Versions} where tenant_id = $1 and segment_id = $2
            returning version, version = 1
            """, connection);
        Add(insert, tenantId, segmentId, json, now);
        await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (version, first) = (reader.GetInt32(0), reader.GetBoolean(1));
        await reader.DisposeAsync();

        await Execute(connection, $"""
            insert into {Segments} (tenant_id, segment_id, version, name, updated_at) values ($1, $2, $3, $4, $5)
            on conflict (tenant_id, segment_id) do update
            set version = excluded.version, name = excluded.name, updated_at = excluded.updated_at, deleted_at = null
            """, cancellationToken, tenantId, segmentId, version, draft.Definition.Name, now);
        await transaction.CommitAsync(cancellationToken);
        return new SaveResult(first ? SaveOutcome.Created : SaveOutcome.NewVersion, version, []);
    }

    /// <summary>Stops a segment (its history is kept); refused, naming them, while live segments refer to it.</summary>
    public async Task<(bool Found, IReadOnlyList<string> ReferredBy)> DeleteAsync(string tenantId, string segmentId, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, "select pg_advisory_xact_lock(hashtext('segments/' || $1))", cancellationToken, tenantId);
        var live = await LiveAsync(connection, tenantId, cancellationToken);
        if (live.All(s => s.Id != segmentId)) return (false, []);
        var referredBy = live.Where(s => s.Parsed.References.Any(r => r.SegmentId == segmentId)).Select(s => s.Id).ToList();
        if (referredBy.Count > 0) return (true, referredBy);
        await Execute(connection, $"update {Segments} set deleted_at = $3, updated_at = $3 where tenant_id = $1 and segment_id = $2",
            cancellationToken, tenantId, segmentId, clock.GetUtcNow());
        await transaction.CommitAsync(cancellationToken);
        return (true, []);
    }

    public async Task<IReadOnlyList<SegmentSummary>> ListAsync(string tenantId, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand(
            $"select segment_id, name, version, updated_at from {Segments} where tenant_id = $1 and deleted_at is null order by segment_id");
        command.Parameters.AddWithValue(tenantId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var segments = new List<SegmentSummary>();
        while (await reader.ReadAsync(cancellationToken))
            segments.Add(new SegmentSummary(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetFieldValue<DateTimeOffset>(3)));
        return segments;
    }

    /// <summary>The tenant's live segments of both kinds, rule and discovered, or the one with id <paramref name="segmentId"/>.</summary>
    public async Task<IReadOnlyList<ReadableSegment>> ReadableAsync(string tenantId, string? segmentId, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand($"""
            select segment_id, kind, name, description, version, updated_at from {SegmentationSchema.Name}.live_segments
            where tenant_id = $1 and ($2::text is null or segment_id = $2) order by segment_id
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)segmentId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var segments = new List<ReadableSegment>();
        while (await reader.ReadAsync(cancellationToken))
            segments.Add(new ReadableSegment(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetInt32(4), reader.GetFieldValue<DateTimeOffset>(5)));
        return segments;
    }

    public async Task<SegmentDetails?> GetAsync(string tenantId, string segmentId, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand($"""
            select v.version, v.definition, v.created_at, s.version, s.updated_at
            from {Segments} s join {Versions} v using (tenant_id, segment_id)
            where s.tenant_id = $1 and s.segment_id = $2 and s.deleted_at is null order by v.version
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(segmentId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var versions = new List<VersionEntry>();
        SegmentDetails? details = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(new VersionEntry(reader.GetInt32(0), reader.GetFieldValue<DateTimeOffset>(2)));
            if (reader.GetInt32(0) == reader.GetInt32(3))
                details = new SegmentDetails(segmentId, reader.GetInt32(3), Read(reader.GetString(1)), reader.GetFieldValue<DateTimeOffset>(4), versions);
        }
        return details;
    }

    public async Task<SegmentVersion?> GetVersionAsync(string tenantId, string segmentId, int version, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand(
            $"select definition, created_at from {Versions} where tenant_id = $1 and segment_id = $2 and version = $3");
        Add(command, tenantId, segmentId, version);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new SegmentVersion(segmentId, version, Read(reader.GetString(0)), reader.GetFieldValue<DateTimeOffset>(1))
            : null;
    }

    /// <summary>The tenant's live segments, the version in force of each, parsed.</summary>
    public async Task<IReadOnlyList<(string Id, int Version, ParsedDefinition Parsed)>> LiveAsync(string tenantId, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await LiveAsync(connection, tenantId, cancellationToken);
    }

    private static async Task<List<(string Id, int Version, ParsedDefinition Parsed)>> LiveAsync(NpgsqlConnection connection, string tenantId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            select s.segment_id, s.version, v.definition from {Segments} s join {Versions} v using (tenant_id, segment_id, version)
            where s.tenant_id = $1 and s.deleted_at is null
            """, connection);
        command.Parameters.AddWithValue(tenantId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var live = new List<(string, int, ParsedDefinition)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            // Stored definitions were valid when saved, and the grammar only grows.
            using var stored = JsonDocument.Parse(reader.GetString(2));
            var parsed = DefinitionParser.Parse(stored.RootElement).Parsed
                         ?? throw new InvalidDataException($"Stored segment '{reader.GetString(0)}' v{reader.GetInt32(1)} no longer parses.");
            live.Add((reader.GetString(0), reader.GetInt32(1), parsed));
        }
        return live;
    }

    private static SegmentDefinition Read(string json) => JsonSerializer.Deserialize<SegmentDefinition>(json, JsonSerializerOptions.Web)!;

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        Add(command, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Add(NpgsqlCommand command, params object[] parameters)
    {
        foreach (var parameter in parameters) command.Parameters.AddWithValue(parameter);
    }
}
