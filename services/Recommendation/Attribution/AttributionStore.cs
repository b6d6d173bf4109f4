using Npgsql;
using NpgsqlTypes;
using Personalization.Recommendation.Models;

namespace Personalization.Recommendation.Attribution;

/// <summary>Figures of one scenario, model version and variant on one day (UTC).</summary>
public sealed record DailyStats(
    DateOnly Day, string? Scenario, int? ModelVersion, string? Experiment, string? Variant,
    long Impressions, long Clicks, double Ctr, long Conversions, double ConversionRate, decimal Revenue);

/// <summary>One variant's raw figures: responses viewed, of them those clicked, people who converted, and their revenue's sum and sum of squares.</summary>
public sealed record VariantFigures(string Variant, long Impressions, long ClickedImpressions, long Converters, double Revenue, double RevenueSquares);

/// <summary>
/// Attribution's facts in PostgreSQL, each keyed by the event it came from, so the relay's redeliveries and a
/// rebuild from the log write each once, in any order. Conversions are not stored: they are worked out when
/// figures are read, by joining each order line to the person's last click on that item within the window.
/// </summary>
public sealed class AttributionStore(NpgsqlDataSource dataSource, RecommendationSchema schema)
{
    private const string Views = RecommendationSchema.Name + ".attribution_views";
    private const string Clicks = RecommendationSchema.Name + ".attribution_clicks";
    private const string Orders = RecommendationSchema.Name + ".attribution_orders";

    public async Task AddAsync(IEnumerable<AttributionFacts.Facts> facts, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        foreach (var fact in facts)
        {
            if (fact.Viewed is { } v)
                batch.BatchCommands.Add(Command($"""
                    insert into {Views} (event_id, tenant_id, recommendation_id, person, anonymous_id, stream_key, at, model_version, scenario, experiment, variant, shown)
                    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) on conflict do nothing
                    """, v.EventId, v.TenantId, v.RecommendationId, v.Actor.Person, v.Actor.AnonymousId, v.Actor.StreamKey, v.At,
                    v.Origin.ModelVersion, v.Origin.Scenario, v.Origin.Experiment, v.Origin.Variant, v.Shown));
            if (fact.Clicked is { } c)
                batch.BatchCommands.Add(Command($"""
                    insert into {Clicks} (event_id, tenant_id, recommendation_id, person, anonymous_id, stream_key, at, model_version, scenario, experiment, variant, item_id, position)
                    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) on conflict do nothing
                    """, c.EventId, c.TenantId, c.RecommendationId, c.Actor.Person, c.Actor.AnonymousId, c.Actor.StreamKey, c.At,
                    c.Origin.ModelVersion, c.Origin.Scenario, c.Origin.Experiment, c.Origin.Variant, c.ItemId, c.Position));
            foreach (var o in fact.Ordered)
                batch.BatchCommands.Add(Command($"""
                    insert into {Orders} (event_id, line, tenant_id, person, anonymous_id, stream_key, at, order_id, item_id, revenue)
                    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) on conflict do nothing
                    """, o.EventId, o.Line, o.TenantId, o.Actor.Person, o.Actor.AnonymousId, o.Actor.StreamKey, o.At, o.OrderId, o.ItemId, o.Revenue));
        }
        if (batch.BatchCommands.Count == 0) return;
        await schema.EnsureAsync();
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Forgets the tenant's facts (before a rebuild), or only those of the given streams (an erasure).</summary>
    public async Task DeleteAsync(string tenantId, IReadOnlyList<string>? streamKeys, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var batch = dataSource.CreateBatch();
        foreach (var table in new[] { Views, Clicks, Orders })
            batch.BatchCommands.Add(streamKeys is null
                ? Command($"delete from {table} where tenant_id = $1", tenantId)
                : Command($"delete from {table} where tenant_id = $1 and stream_key = any($2)", tenantId, streamKeys.ToArray()));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Each order line in the window after a click on its item by the same person (or the same anonymous id), credited to the last such click.</summary>
    private const string ConversionsCte = $"""
        conversions as (
            select distinct on (o.event_id, o.line) o.revenue, o.at, c.recommendation_id, c.person, c.model_version, c.scenario, c.experiment, c.variant
            from {Orders} o
            join {Clicks} c on c.tenant_id = o.tenant_id and c.item_id = o.item_id
                and (c.person = o.person or c.anonymous_id = o.anonymous_id)
                and c.at <= o.at and o.at < c.at + $2
            where o.tenant_id = $1
            order by o.event_id, o.line, c.at desc)
        """;

    /// <summary>Rows of the period's days (UTC) and, when given, of the scenario: filtered before they are counted.</summary>
    private const string InPeriod = "(at at time zone 'UTC')::date between $3 and $4 and ($5::text is null or scenario = $5)";

    /// <summary>
    /// Impressions (responses viewed), clicks (items of a response clicked, each once), conversions (order lines
    /// credited to a click) and their revenue, per scenario, model version, variant and day of the event.
    /// </summary>
    public async Task<IReadOnlyList<DailyStats>> DailyAsync(string tenantId, TimeSpan window, DateOnly from, DateOnly to, string? scenario,
        CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand($"""
            with {ConversionsCte},
            facts as (
                select scenario, model_version, experiment, variant, (at at time zone 'UTC')::date as day,
                       count(distinct recommendation_id) as impressions, 0::bigint as clicks, 0::bigint as conversions, 0::numeric as revenue
                from {Views} where tenant_id = $1 and {InPeriod} group by 1, 2, 3, 4, 5
                union all
                select scenario, model_version, experiment, variant, (at at time zone 'UTC')::date, 0, count(distinct (recommendation_id, item_id)), 0, 0
                from {Clicks} where tenant_id = $1 and {InPeriod} group by 1, 2, 3, 4, 5
                union all
                select scenario, model_version, experiment, variant, (at at time zone 'UTC')::date, 0, 0, count(*), sum(revenue)
                from conversions where {InPeriod} group by 1, 2, 3, 4, 5)
            select day, scenario, model_version, experiment, variant, sum(impressions)::bigint, sum(clicks)::bigint, sum(conversions)::bigint, sum(revenue)
            from facts
            group by 1, 2, 3, 4, 5
            order by 1, 2 nulls first, 3 nulls first, 4 nulls first, 5 nulls first
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(window);
        command.Parameters.AddWithValue(from);
        command.Parameters.AddWithValue(to);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)scenario ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var stats = new List<DailyStats>();
        while (await reader.ReadAsync(cancellationToken))
        {
            long impressions = reader.GetInt64(5), clicks = reader.GetInt64(6), conversions = reader.GetInt64(7);
            stats.Add(new DailyStats(reader.GetFieldValue<DateOnly>(0), Text(reader, 1), reader.IsDBNull(2) ? null : reader.GetInt32(2), Text(reader, 3), Text(reader, 4),
                impressions, clicks, Rate(clicks, impressions), conversions, Rate(conversions, impressions), reader.GetDecimal(8)));
        }
        return stats;
    }

    /// <summary>Per variant of an experiment: responses viewed and clicked, people converted and their revenue (sum and sum of squares, for the t-test).</summary>
    public async Task<IReadOnlyList<VariantFigures>> ExperimentAsync(string tenantId, string experimentId, TimeSpan window, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand($"""
            with {ConversionsCte},
            facts as (
                select variant, count(distinct recommendation_id) as impressions, 0::bigint as clicked, 0::bigint as converters, 0::numeric as revenue, 0::numeric as squares
                from {Views} where tenant_id = $1 and experiment = $3 group by 1
                union all
                select c.variant, 0, count(distinct c.recommendation_id), 0, 0, 0
                from {Clicks} c
                where c.tenant_id = $1 and c.experiment = $3
                  and exists (select 1 from {Views} v where v.tenant_id = $1 and v.recommendation_id = c.recommendation_id)
                group by 1
                union all
                select variant, 0, 0, count(*), sum(spent), sum(spent * spent)
                from (select variant, person, sum(revenue) as spent from conversions where experiment = $3 group by 1, 2) people
                group by 1)
            select variant, sum(impressions)::bigint, sum(clicked)::bigint, sum(converters)::bigint, sum(revenue)::float8, sum(squares)::float8
            from facts where variant is not null group by 1 order by 1
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(window);
        command.Parameters.AddWithValue(experimentId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var figures = new List<VariantFigures>();
        while (await reader.ReadAsync(cancellationToken))
            figures.Add(new VariantFigures(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetDouble(4), reader.GetDouble(5)));
        return figures;
    }

    /// <summary>For the latest <paramref name="limit"/> responses of a model version that were viewed, oldest first: whether each was clicked.</summary>
    public async Task<IReadOnlyList<bool>> OutcomesAsync(string tenantId, int modelVersion, int limit, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand($"""
            select clicked from (
                select v.recommendation_id, min(v.at) as at, bool_or(c.event_id is not null) as clicked
                from {Views} v left join {Clicks} c on c.tenant_id = v.tenant_id and c.recommendation_id = v.recommendation_id
                where v.tenant_id = $1 and v.model_version = $2
                group by v.recommendation_id
                order by at desc, v.recommendation_id desc limit $3) recent
            order by at, recommendation_id
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(modelVersion);
        command.Parameters.AddWithValue(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var outcomes = new List<bool>();
        while (await reader.ReadAsync(cancellationToken)) outcomes.Add(reader.GetBoolean(0));
        return outcomes;
    }

    private static double Rate(long part, long whole) => whole == 0 ? 0 : Math.Round((double)part / whole, 6);

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        return command;
    }
}
