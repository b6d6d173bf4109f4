using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;
using Personalization.Recommendation.Models;

namespace Personalization.Recommendation.Experiments;

/// <summary>How a put went: made, changed, or refused with the reason.</summary>
public enum PutOutcome { Created, Updated, Stopped, TargetChanged, VariantRemoved, TargetBusy }

/// <summary>
/// Experiments and their people in PostgreSQL. A person's variant is written the first time they are served under
/// an experiment and read back ever after, so changing the weights moves new people only. Serving finds a
/// scenario's or a placement's running experiment through a short per-replica cache (<see cref="CacheFor"/>).
/// </summary>
public sealed class ExperimentStore(NpgsqlDataSource dataSource, RecommendationSchema schema, TimeProvider clock) : IDisposable
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan AssignmentsFor = TimeSpan.FromMinutes(10);
    private const string Experiments = RecommendationSchema.Name + ".experiments";
    private const string Assignments = RecommendationSchema.Name + ".experiment_assignments";
    private const string Columns = "id, definition, state, created_at, updated_at, stopped_at, promoted";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web) { Converters = { new JsonStringEnumConverter() } };
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 200_000 });

    public void Dispose() => _cache.Dispose();

    /// <summary>
    /// Creates the experiment, or changes a running one: its weights, settings, control and effect may change, what
    /// it runs on may not, and no variant may go (people are in it). One experiment runs on a scenario or placement at a time.
    /// </summary>
    public async Task<(PutOutcome Outcome, Experiment? Experiment)> PutAsync(string tenantId, string id, ExperimentDefinition definition, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var existing = (await QueryAsync(connection, $"select {Columns} from {Experiments} where tenant_id = $1 and id = $2 for update", [tenantId, id], cancellationToken))
            .SingleOrDefault();
        var now = clock.GetUtcNow();
        if (existing is { State: ExperimentState.Stopped }) return (PutOutcome.Stopped, existing);
        if (existing is not null && existing.Definition.Target != definition.Target) return (PutOutcome.TargetChanged, existing);
        if (existing is not null && existing.Definition.Variants.Any(v => definition.Find(v.Name) is null)) return (PutOutcome.VariantRemoved, existing);
        await using var command = new NpgsqlCommand($"""
            insert into {Experiments} (tenant_id, id, target, definition, state, created_at, updated_at)
            values ($1, $2, $3, $4::jsonb, 'Running', $5, $5)
            on conflict (tenant_id, id) do update set definition = excluded.definition, updated_at = excluded.updated_at
            """, connection, transaction);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(definition.Target);
        command.Parameters.AddWithValue(JsonSerializer.Serialize(definition, Json));
        command.Parameters.AddWithValue(now);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return (PutOutcome.TargetBusy, await RunningOnAsync(tenantId, definition.Target, cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
        _cache.Remove((tenantId, definition.Target));
        return existing is null
            ? (PutOutcome.Created, new Experiment(id, definition, ExperimentState.Running, now, now))
            : (PutOutcome.Updated, existing with { Definition = definition, UpdatedAt = now });
    }

    public async Task<IReadOnlyList<Experiment>> ListAsync(string tenantId, CancellationToken cancellationToken) =>
        await QueryAsync($"select {Columns} from {Experiments} where tenant_id = $1 order by created_at, id", [tenantId], cancellationToken);

    public async Task<Experiment?> GetAsync(string tenantId, string id, CancellationToken cancellationToken) =>
        (await QueryAsync($"select {Columns} from {Experiments} where tenant_id = $1 and id = $2", [tenantId, id], cancellationToken)).SingleOrDefault();

    /// <summary>Stops a running experiment, naming the variant promoted (if any); null when it is not running.</summary>
    public async Task<Experiment?> StopAsync(string tenantId, string id, string? promoted, CancellationToken cancellationToken)
    {
        var stopped = (await QueryAsync($"""
            update {Experiments} set state = 'Stopped', stopped_at = $3, promoted = $4, updated_at = $3
            where tenant_id = $1 and id = $2 and state = 'Running' returning {Columns}
            """, [tenantId, id, clock.GetUtcNow(), (object?)promoted ?? DBNull.Value], cancellationToken)).SingleOrDefault();
        if (stopped is not null) _cache.Remove((tenantId, stopped.Definition.Target));
        return stopped;
    }

    /// <summary>
    /// The experiment running on a target (<see cref="ExperimentDefinition.ScenarioTarget"/>, <see cref="ExperimentDefinition.PlacementTarget"/>),
    /// as serving sees it: from this replica's cache when read within <see cref="CacheFor"/>.
    /// </summary>
    public async ValueTask<Experiment?> RunningOnAsync(string tenantId, string target, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue((tenantId, target), out Experiment? cached)) return cached;
        var running = (await QueryAsync($"select {Columns} from {Experiments} where tenant_id = $1 and target = $2 and state = 'Running'",
            [tenantId, target], cancellationToken)).SingleOrDefault();
        _cache.Set((tenantId, target), running, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = CacheFor, Size = 1 });
        return running;
    }

    /// <summary>
    /// The person's arm of the experiment running on a target and its variant (the one they were first given, else
    /// a new pick by the current weights, recorded); null when nothing runs there or there is no person.
    /// </summary>
    public async ValueTask<(ExperimentArm Arm, Variant Variant)?> ArmOfAsync(string tenantId, string target, string? person, CancellationToken cancellationToken)
    {
        if (person is null || await RunningOnAsync(tenantId, target, cancellationToken) is not { } experiment) return null;
        var variant = await AssignAsync(tenantId, experiment, person, cancellationToken);
        return (new ExperimentArm(experiment.Id, variant.Name), variant);
    }

    private async ValueTask<Variant> AssignAsync(string tenantId, Experiment experiment, string person, CancellationToken cancellationToken)
    {
        var key = (tenantId, experiment.Id, person);
        if (!_cache.TryGetValue(key, out string? name))
        {
            await schema.EnsureAsync();
            var picked = Assignment.Pick(experiment.Definition.Variants, Assignment.PointOf(tenantId, experiment.Id, person));
            // Whoever records first wins; a racing replica reads that back rather than its own pick.
            await using var command = dataSource.CreateCommand($"""
                with recorded as (
                    insert into {Assignments} (tenant_id, experiment_id, person, variant, assigned_at) values ($1, $2, $3, $4, $5)
                    on conflict do nothing returning variant)
                select variant from recorded
                union all
                select variant from {Assignments} where tenant_id = $1 and experiment_id = $2 and person = $3
                """);
            command.Parameters.AddWithValue(tenantId);
            command.Parameters.AddWithValue(experiment.Id);
            command.Parameters.AddWithValue(person);
            command.Parameters.AddWithValue(picked.Name);
            command.Parameters.AddWithValue(clock.GetUtcNow());
            name = await command.ExecuteScalarAsync(cancellationToken) as string ?? picked.Name;
            _cache.Set(key, name, new MemoryCacheEntryOptions { SlidingExpiration = AssignmentsFor, Size = 1 });
        }
        return experiment.Definition.Find(name!) ?? Assignment.Pick(experiment.Definition.Variants, Assignment.PointOf(tenantId, experiment.Id, person));
    }

    /// <summary>How many people each variant has been given.</summary>
    public async Task<IReadOnlyDictionary<string, long>> PeopleAsync(string tenantId, string id, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand(
            $"select variant, count(*) from {Assignments} where tenant_id = $1 and experiment_id = $2 group by variant");
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var people = new Dictionary<string, long>();
        while (await reader.ReadAsync(cancellationToken)) people[reader.GetString(0)] = reader.GetInt64(1);
        return people;
    }

    private async Task<List<Experiment>> QueryAsync(string sql, object[] parameters, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await QueryAsync(connection, sql, parameters, cancellationToken);
    }

    private static async Task<List<Experiment>> QueryAsync(NpgsqlConnection connection, string sql, object[] parameters, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters) command.Parameters.AddWithValue(parameter);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var experiments = new List<Experiment>();
        while (await reader.ReadAsync(cancellationToken))
            experiments.Add(new Experiment(reader.GetString(0),
                JsonSerializer.Deserialize<ExperimentDefinition>(reader.GetString(1), Json)!,
                Enum.Parse<ExperimentState>(reader.GetString(2)),
                reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
        return experiments;
    }
}
