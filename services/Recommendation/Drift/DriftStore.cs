using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;
using Personalization.Recommendation.Models;

namespace Personalization.Recommendation.Drift;

/// <summary>One check of a served version: both checks' figures, whether it drifted, and what was done (the retraining job, if any).</summary>
public sealed record DriftReport(Guid Id, string TenantId, int Version, DateTimeOffset CheckedAt, bool Drifted, string Action, Guid? JobId,
    CtrDrift Ctr, PopularityDrift Popularity, RankerDrift? Ranker);

/// <summary>Drift checks in PostgreSQL, newest first per tenant.</summary>
public sealed class DriftStore(NpgsqlDataSource dataSource, RecommendationSchema schema)
{
    private const string Table = RecommendationSchema.Name + ".drift_checks";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web) { Converters = { new JsonStringEnumConverter() } };

    private sealed record Figures(CtrDrift Ctr, PopularityDrift Popularity, RankerDrift? Ranker);

    public async Task AddAsync(DriftReport report, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand(
            $"insert into {Table} (id, tenant_id, version, checked_at, drifted, action, job_id, report) values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)");
        command.Parameters.AddWithValue(report.Id);
        command.Parameters.AddWithValue(report.TenantId);
        command.Parameters.AddWithValue(report.Version);
        command.Parameters.AddWithValue(report.CheckedAt);
        command.Parameters.AddWithValue(report.Drifted);
        command.Parameters.AddWithValue(report.Action);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)report.JobId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        command.Parameters.AddWithValue(JsonSerializer.Serialize(new Figures(report.Ctr, report.Popularity, report.Ranker), Json));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<DriftReport>> LatestAsync(string tenantId, int limit, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand(
            $"select id, tenant_id, version, checked_at, drifted, action, job_id, report from {Table} where tenant_id = $1 order by checked_at desc limit $2");
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var reports = new List<DriftReport>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var figures = JsonSerializer.Deserialize<Figures>(reader.GetString(7), Json)!;
            reports.Add(new DriftReport(reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.GetFieldValue<DateTimeOffset>(3), reader.GetBoolean(4),
                reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetGuid(6), figures.Ctr, figures.Popularity, figures.Ranker));
        }
        return reports;
    }
}
