using System.Text.Json;
using Npgsql;
using Personalization.Segmentation.Segments.Store;

namespace Personalization.Segmentation.Segments.Discovery;

/// <summary>What one method's latest run found for a tenant: its run number, as-of instant, report and segments.</summary>
/// <param name="Validation">The backtest of a partition (null for predictive segments, whose report has AUC and calibration).</param>
public sealed record DiscoveryRunSummary(string Method, int Run, DateTimeOffset AsOf, DateTimeOffset FinishedAt, int Customers, JsonElement Report,
    JsonElement Validation, IReadOnlyList<DiscoveredSegmentSummary> Segments);

public sealed record DiscoveredSegmentSummary(string Id, string Name, string Description, long Members);

/// <summary>A person's probability of belonging to a mixture segment.</summary>
public sealed record SegmentProbability(string SegmentId, double Probability);

/// <summary>
/// Saves a discovery run in one transaction: its report, its segments (those the method no longer finds are
/// stopped), every member's entry or exit through the same outbox as rule segments, and soft memberships. A run that
/// fails part-way leaves nothing behind; each run of a method is the next version of its segments.
/// </summary>
public sealed class DiscoveryStore(NpgsqlDataSource dataSource, SegmentationSchema schema, TimeProvider clock)
{
    private const string Runs = SegmentationSchema.Name + ".discovery_runs";
    private const string Segments = SegmentationSchema.Name + ".discovered_segments";
    private const string Soft = SegmentationSchema.Name + ".soft_memberships";
    private const string Memberships = SegmentationSchema.Name + ".memberships";

    /// <summary>Web names, and NaN (a metric that could not be measured) written as a string rather than refused.</summary>
    private static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public async Task<(int Run, long Entered, long Exited)> SaveAsync(string tenantId, DiscoveredSet set, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var run = (int)(await ScalarAsync(connection, $"""
            insert into {Runs} (tenant_id, method, run, as_of, finished_at, customers, report, validation)
            select $1, $2, coalesce(max(run), 0) + 1, $3, $4, $5, $6::jsonb, $7::jsonb from {Runs} where tenant_id = $1 and method = $2
            returning run
            """, cancellationToken, tenantId, set.Method, asOf.ToUniversalTime(), now, set.Customers,
            JsonSerializer.Serialize(set.Report, Json), JsonSerializer.Serialize(set.Validation, Json)))!;

        await ExecuteAsync(connection, $"""
            with found as (
                insert into {Segments} (tenant_id, segment_id, method, run, name, description, updated_at)
                select $1, id, $2, $3, name, description, $4 from unnest($5::text[], $6::text[], $7::text[]) as s (id, name, description)
                on conflict (tenant_id, segment_id) do update
                set run = excluded.run, name = excluded.name, description = excluded.description, updated_at = excluded.updated_at, deleted_at = null
                returning segment_id)
            update {Segments} set deleted_at = $4, updated_at = $4
            where tenant_id = $1 and method = $2 and deleted_at is null and segment_id <> all ($5::text[])
            """, cancellationToken, tenantId, set.Method, run, now,
            set.Segments.Select(s => s.Id).ToArray(), set.Segments.Select(s => s.Name).ToArray(), set.Segments.Select(s => s.Description).ToArray());

        var members = set.Segments.SelectMany(s => s.Members.Select(m => (m, s.Id))).ToList();
        var (entered, exited) = await MembershipLedger.AssignAsync(connection, tenantId, set.Method, run, asOf, members, cancellationToken);

        // Two statements: within one, an insert does not see the rows a delete beside it removes.
        await ExecuteAsync(connection, $"delete from {Soft} where tenant_id = $1 and method = $2", cancellationToken, tenantId, set.Method);
        await ExecuteAsync(connection, $"""
            insert into {Soft} (tenant_id, method, user_key, run, probabilities)
            select $1, $2, user_key, $3, probabilities::jsonb from unnest($4::text[], $5::text[]) as p (user_key, probabilities)
            """, cancellationToken, tenantId, set.Method, run,
            set.Soft.Select(s => s.UserKey).ToArray(),
            set.Soft.Select(s => JsonSerializer.Serialize(set.Segments.Zip(s.Probabilities).ToDictionary(p => p.First.Id, p => Math.Round(p.Second, 6)))).ToArray());
        await transaction.CommitAsync(cancellationToken);
        return (run, entered, exited);
    }

    /// <summary>Each method's latest run for the tenant, with its segments and their member counts.</summary>
    public async Task<IReadOnlyList<DiscoveryRunSummary>> LatestAsync(string tenantId, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand($"""
            select distinct on (r.method) r.method, r.run, r.as_of, r.finished_at, r.customers, r.report::text, r.validation::text,
                   coalesce((select jsonb_agg(jsonb_build_object('id', s.segment_id, 'name', s.name, 'description', s.description,
                                 'members', (select count(*) from {Memberships} m where m.tenant_id = s.tenant_id and m.segment_id = s.segment_id and m.member))
                                 order by s.segment_id)
                             from {Segments} s where s.tenant_id = r.tenant_id and s.method = r.method and s.deleted_at is null), '[]')::text
            from {Runs} r where r.tenant_id = $1 order by r.method, r.run desc
            """);
        command.Parameters.AddWithValue(tenantId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var runs = new List<DiscoveryRunSummary>();
        while (await reader.ReadAsync(cancellationToken))
            runs.Add(new DiscoveryRunSummary(reader.GetString(0), reader.GetInt32(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetInt32(4), JsonDocument.Parse(reader.GetString(5)).RootElement.Clone(), JsonDocument.Parse(reader.GetString(6)).RootElement.Clone(),
                JsonSerializer.Deserialize<List<DiscoveredSegmentSummary>>(reader.GetString(7), JsonSerializerOptions.Web)!));
        return runs;
    }

    /// <summary>The person's probability for each mixture segment of the latest run (those above 0.1%).</summary>
    public async Task<IReadOnlyList<SegmentProbability>> ProbabilitiesAsync(string tenantId, string userKey, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand($"""
            select p.key, p.value::float8 from {Soft} s, jsonb_each_text(s.probabilities) p
            where s.tenant_id = $1 and s.user_key = $2 and p.value::float8 >= 0.001 order by p.value::float8 desc
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(userKey);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var probabilities = new List<SegmentProbability>();
        while (await reader.ReadAsync(cancellationToken)) probabilities.Add(new SegmentProbability(reader.GetString(0), reader.GetDouble(1)));
        return probabilities;
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, object[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters) command.Parameters.AddWithValue(parameter);
        return command;
    }
}
