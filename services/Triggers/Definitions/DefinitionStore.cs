using System.Text.Json;
using Npgsql;

namespace Personalization.Triggers.Definitions;

/// <summary>
/// Templates and journeys in PostgreSQL, per tenant and versioned: each change is a new version, kept with its
/// author's note and what changed from the version before. Saves and status changes of one definition take turns
/// (an advisory lock), so versions are numbered without gaps and a publish sees the version it names.
/// </summary>
public sealed class DefinitionStore(NpgsqlDataSource dataSource, TriggersSchema schema, TimeProvider clock)
{
    private const string Definitions = TriggersSchema.Name + ".definitions";
    private const string Versions = TriggersSchema.Name + ".definition_versions";

    public async Task<SaveResult> SaveAsync(string tenantId, DefinitionKind kind, string id, string name, JsonElement body, string? note, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAsync(connection, tenantId, kind, id, cancellationToken);

        JsonElement? previous = null;
        var status = kind == DefinitionKind.Journey ? DefinitionStatus.Draft : DefinitionStatus.Live;
        await using (var current = Command(connection, $"""
            select d.status, v.body from {Definitions} d join {Versions} v using (tenant_id, kind, id, version)
            where d.tenant_id = $1 and d.kind = $2 and d.id = $3
            """, tenantId, Kind(kind), id))
        await using (var reader = await current.ExecuteReaderAsync(cancellationToken))
            if (await reader.ReadAsync(cancellationToken))
            {
                status = Enum.Parse<DefinitionStatus>(reader.GetString(0));
                previous = JsonDocument.Parse(reader.GetString(1)).RootElement.Clone();
            }
        if (status == DefinitionStatus.Archived) return new SaveResult(SaveOutcome.Archived, 0);
        // The same definition sent again makes no version (key order and spacing aside).
        if (previous is { } before && JsonElement.DeepEquals(before, body))
            return new SaveResult(SaveOutcome.Unchanged, await CurrentVersionAsync(connection, tenantId, kind, id, cancellationToken));

        var now = clock.GetUtcNow();
        var changes = JsonDiff.Between(previous, body);
        int version;
        await using (var insert = Command(connection, $"""
            insert into {Versions} (tenant_id, kind, id, version, body, note, changes, created_at)
            select $1, $2, $3, coalesce(max(version), 0) + 1, $4::jsonb, $5, $6::jsonb, $7 from {Versions} where tenant_id = $1 and kind = $2 and id = $3
            returning version
            """, tenantId, Kind(kind), id, body.GetRawText(), (object?)note ?? DBNull.Value, JsonSerializer.Serialize(changes, JsonSerializerOptions.Web), now))
            version = (int)(await insert.ExecuteScalarAsync(cancellationToken))!;
        await using (var upsert = Command(connection, $"""
            insert into {Definitions} (tenant_id, kind, id, name, version, status, updated_at) values ($1, $2, $3, $4, $5, $6, $7)
            on conflict (tenant_id, kind, id) do update set name = excluded.name, version = excluded.version, updated_at = excluded.updated_at
            """, tenantId, Kind(kind), id, name, version, status.ToString(), now))
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new SaveResult(previous is null ? SaveOutcome.Created : SaveOutcome.NewVersion, version);
    }

    /// <summary>Publishes (the given version, else the latest), pauses or archives; refused, with why, where the status does not allow it.</summary>
    public async Task<StatusResult> SetStatusAsync(string tenantId, DefinitionKind kind, string id, DefinitionStatus to, int? version, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAsync(connection, tenantId, kind, id, cancellationToken);
        if (await SummaryAsync(connection, tenantId, kind, id, cancellationToken) is not { } current) return new StatusResult(StatusOutcome.NotFound);
        var refusal = (current.Status, to) switch
        {
            (DefinitionStatus.Archived, _) => $"'{id}' is archived: it can no longer change.",
            (DefinitionStatus.Draft, DefinitionStatus.Paused) => $"'{id}' has never been published: there is nothing to pause.",
            (_, DefinitionStatus.Live) when version is { } v && (v < 1 || v > current.Version) => $"'{id}' has versions 1 to {current.Version}; there is no version {v}.",
            _ => null,
        };
        if (refusal is not null) return new StatusResult(StatusOutcome.Refused, refusal);
        var published = to == DefinitionStatus.Live ? version ?? current.Version : current.PublishedVersion;
        await using (var update = Command(connection, $"""
            update {Definitions} set status = $4, published_version = $5, updated_at = $6 where tenant_id = $1 and kind = $2 and id = $3
            """, tenantId, Kind(kind), id, to.ToString(), (object?)published ?? DBNull.Value, clock.GetUtcNow()))
            await update.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new StatusResult(StatusOutcome.Done);
    }

    public async Task<IReadOnlyList<DefinitionSummary>> ListAsync(string tenantId, DefinitionKind kind, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, $"{SummarySelect} where tenant_id = $1 and kind = $2 order by id", tenantId, Kind(kind));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<DefinitionSummary>();
        while (await reader.ReadAsync(cancellationToken)) list.Add(ReadSummary(reader));
        return list;
    }

    public async Task<DefinitionDetails?> GetAsync(string tenantId, DefinitionKind kind, string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        if (await SummaryAsync(connection, tenantId, kind, id, cancellationToken) is not { } summary) return null;
        await using var command = Command(connection, $"""
            select version, note, created_at, changes, body from {Versions} where tenant_id = $1 and kind = $2 and id = $3 order by version
            """, tenantId, Kind(kind), id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var versions = new List<DefinitionVersionEntry>();
        JsonElement latest = default;
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(new DefinitionVersionEntry(reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2),
                JsonSerializer.Deserialize<List<DefinitionChange>>(reader.GetString(3), JsonSerializerOptions.Web)!));
            latest = JsonDocument.Parse(reader.GetString(4)).RootElement.Clone();
        }
        return new DefinitionDetails(summary.Id, summary.Name, summary.Version, summary.Status, summary.PublishedVersion, summary.UpdatedAt, latest, versions);
    }

    public async Task<DefinitionVersion?> GetVersionAsync(string tenantId, DefinitionKind kind, string id, int version, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, $"""
            select note, created_at, body from {Versions} where tenant_id = $1 and kind = $2 and id = $3 and version = $4
            """, tenantId, Kind(kind), id, version);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new DefinitionVersion(id, version, reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1),
                JsonDocument.Parse(reader.GetString(2)).RootElement.Clone())
            : null;
    }

    /// <summary>The tenant's live definitions of the kind, each with its published version's body.</summary>
    public async Task<IReadOnlyList<DefinitionVersion>> PublishedAsync(string tenantId, DefinitionKind kind, CancellationToken cancellationToken) =>
        (await PublishedWhereAsync("d.tenant_id = $2", [tenantId], kind, cancellationToken)).Select(p => p.Version).ToList();

    /// <summary>Every tenant's live definitions of the kind whose published body has <paramref name="property"/> under its <c>entry</c>.</summary>
    public Task<IReadOnlyList<(string TenantId, DefinitionVersion Version)>> PublishedWithEntryAsync(DefinitionKind kind, string property, CancellationToken cancellationToken) =>
        PublishedWhereAsync("v.body -> 'entry' ? $2", [property], kind, cancellationToken);

    private async Task<IReadOnlyList<(string TenantId, DefinitionVersion Version)>> PublishedWhereAsync(string condition, object[] values, DefinitionKind kind,
        CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, $"""
            select d.tenant_id, d.id, v.version, v.note, v.created_at, v.body from {Definitions} d
            join {Versions} v on v.tenant_id = d.tenant_id and v.kind = d.kind and v.id = d.id and v.version = d.published_version
            where d.kind = $1 and d.status = 'Live' and {condition}
            """, [Kind(kind), .. values]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var published = new List<(string, DefinitionVersion)>();
        while (await reader.ReadAsync(cancellationToken))
            published.Add((reader.GetString(0), new DefinitionVersion(reader.GetString(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), JsonDocument.Parse(reader.GetString(5)).RootElement.Clone())));
        return published;
    }

    /// <summary>The latest body of each of these definitions that exists and is not archived, by id.</summary>
    public async Task<IReadOnlyDictionary<string, JsonElement>> CurrentAsync(string tenantId, DefinitionKind kind, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, $"""
            select d.id, v.body from {Definitions} d join {Versions} v using (tenant_id, kind, id, version)
            where d.tenant_id = $1 and d.kind = $2 and d.id = any($3) and d.status <> 'Archived'
            """, tenantId, Kind(kind), ids.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var current = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken)) current[reader.GetString(0)] = JsonDocument.Parse(reader.GetString(1)).RootElement.Clone();
        return current;
    }

    private const string SummarySelect = $"select id, name, version, status, published_version, updated_at from {Definitions}";

    private static async Task<DefinitionSummary?> SummaryAsync(NpgsqlConnection connection, string tenantId, DefinitionKind kind, string id, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, $"{SummarySelect} where tenant_id = $1 and kind = $2 and id = $3", tenantId, Kind(kind), id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadSummary(reader) : null;
    }

    private static async Task<int> CurrentVersionAsync(NpgsqlConnection connection, string tenantId, DefinitionKind kind, string id, CancellationToken cancellationToken) =>
        (await SummaryAsync(connection, tenantId, kind, id, cancellationToken))!.Version;

    private static DefinitionSummary ReadSummary(NpgsqlDataReader reader) => new(reader.GetString(0), reader.GetString(1), reader.GetInt32(2),
        Enum.Parse<DefinitionStatus>(reader.GetString(3)), reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.GetFieldValue<DateTimeOffset>(5));

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        return await dataSource.OpenConnectionAsync(cancellationToken);
    }

    private static async Task LockAsync(NpgsqlConnection connection, string tenantId, DefinitionKind kind, string id, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, "select pg_advisory_xact_lock(hashtext($1 || '/' || $2 || '/' || $3))", tenantId, Kind(kind), id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Kind(DefinitionKind kind) => kind.ToString().ToLowerInvariant();

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters) command.Parameters.AddWithValue(parameter);
        return command;
    }
}
