using Npgsql;
using NpgsqlTypes;
using Personalization.Contracts;
using Personalization.Ingestion.Storage;

namespace Personalization.Ingestion.Identity;

/// <summary>A person found by the console's search, and how: their id begins with the query, or a trait equals it.</summary>
public sealed record UserMatch(string UserId, string MatchedBy);

/// <summary>
/// Finds people of a tenant by the start of their user id (the stream index) or by a trait value (an email, say) in
/// their identify calls. The trait search reads the tenant's identify events; it suits an operator's lookups, not traffic.
/// </summary>
public sealed class UserSearch(NpgsqlDataSource dataSource)
{
    public const int MaxResults = 50;

    public async Task<IReadOnlyList<UserMatch>> FindAsync(string tenantId, string query, int limit, CancellationToken ct)
    {
        var prefix = $"{tenantId}/{StreamKey.UserPrefix}";
        await using var command = dataSource.CreateCommand($"""
            (select substr(id, length(@prefix) + 1), 'id' from {IngestionStore.Schema}.mt_streams
             where starts_with(id, @prefix || @query) order by id limit @limit)
            union
            (select distinct e.data ->> 'UserId', 'trait ' || t.key from {IngestionStore.Schema}.mt_events e,
                 jsonb_each_text(case when jsonb_typeof(e.data -> 'Payload' -> 'traits') = 'object' then e.data -> 'Payload' -> 'traits' else jsonb_build_object() end) t
             where starts_with(e.stream_id, @prefix) and e.data ->> 'Type' = 'identify' and lower(t.value) = lower(@query)
             limit @limit)
            limit @limit
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("prefix", NpgsqlDbType.Text) { TypedValue = prefix });
        command.Parameters.Add(new NpgsqlParameter<string>("query", NpgsqlDbType.Text) { TypedValue = query });
        command.Parameters.Add(new NpgsqlParameter<int>("limit", NpgsqlDbType.Integer) { TypedValue = limit });
        var matches = new List<UserMatch>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            if (!reader.IsDBNull(0)) matches.Add(new UserMatch(reader.GetString(0), reader.GetString(1)));
        return matches.DistinctBy(m => m.UserId).ToList();
    }
}
