using System.Text.Json;
using Marten;
using Npgsql;
using NpgsqlTypes;
using Personalization.Contracts;
using Personalization.Contracts.EventLog;
using Personalization.Ingestion.Storage;
using Personalization.Ingestion.TrackingPlans;
using Personalization.Ingestion.Validation;

namespace Personalization.Ingestion.Debugger;

/// <summary>A source's latest messages as stored, turned away as duplicates, or dead-lettered, from what every replica committed.</summary>
public sealed class LiveEventsReader(NpgsqlDataSource dataSource, IDocumentStore store)
{
    private static readonly string Schema = IngestionStore.Schema;
    private static readonly EventFlags[] AllFlags = Enum.GetValues<EventFlags>().Where(f => f != EventFlags.None).ToArray();

    public async Task<long> LastSequenceAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"select coalesce(max(seq_id), 0) from {Schema}.mt_events");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The source's latest <paramref name="limit"/> events with a sequence in (<paramref name="after"/>, <paramref name="upTo"/>].</summary>
    public async Task<List<LiveEntry>> StoredAsync(string tenant, string source, long after, long upTo, int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            select seq_id, data from {Schema}.mt_events
            where seq_id > @after and seq_id <= @upTo and starts_with(stream_id, @prefix) and data ->> 'SourceId' = @source
            order by seq_id desc limit @limit
            """);
        command.Parameters.Add(new NpgsqlParameter<long>("after", NpgsqlDbType.Bigint) { TypedValue = after });
        command.Parameters.Add(new NpgsqlParameter<long>("upTo", NpgsqlDbType.Bigint) { TypedValue = upTo });
        command.Parameters.Add(new NpgsqlParameter<string>("prefix", NpgsqlDbType.Text) { TypedValue = tenant + "/" });
        command.Parameters.Add(new NpgsqlParameter<string>("source", NpgsqlDbType.Text) { TypedValue = source });
        command.Parameters.Add(new NpgsqlParameter<int>("limit", NpgsqlDbType.Integer) { TypedValue = limit });
        var serializer = store.Options.Serializer();
        var entries = new List<LiveEntry>();
        await using var rows = await command.ExecuteReaderAsync(ct);
        while (await rows.ReadAsync(ct))
        {
            var sequence = rows.GetInt64(0);
            var e = serializer.FromJson<EventAccepted>(rows, 1);
            entries.Add(new LiveEntry($"stored:{sequence}", LiveEntry.Stored, e.ReceivedAt, e.MessageId, e.Type, e.Name, e.UserId, e.AnonymousId,
                FlagNames(e.Flags), e.Payload, Sequence: sequence));
        }
        return entries;
    }

    /// <summary>The source's latest <paramref name="limit"/> duplicate sightings after sighting <paramref name="after"/>.</summary>
    public async Task<List<LiveEntry>> DuplicatesAsync(string tenant, string source, long after, int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            select id, message_id, type, name, user_id, anonymous_id, received_at from {Schema}.{DuplicateSightings.Name}
            where tenant_id = @tenant and source_id = @source and id > @after
            order by id desc limit @limit
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("tenant", NpgsqlDbType.Text) { TypedValue = tenant });
        command.Parameters.Add(new NpgsqlParameter<string>("source", NpgsqlDbType.Text) { TypedValue = source });
        command.Parameters.Add(new NpgsqlParameter<long>("after", NpgsqlDbType.Bigint) { TypedValue = after });
        command.Parameters.Add(new NpgsqlParameter<int>("limit", NpgsqlDbType.Integer) { TypedValue = limit });
        var entries = new List<LiveEntry>();
        await using var rows = await command.ExecuteReaderAsync(ct);
        while (await rows.ReadAsync(ct))
        {
            string? Text(int i) => rows.IsDBNull(i) ? null : rows.GetString(i);
            entries.Add(new LiveEntry($"duplicate:{rows.GetInt64(0)}", LiveEntry.Duplicate, rows.GetFieldValue<DateTimeOffset>(6), rows.GetString(1), rows.GetString(2),
                Text(3), Text(4), Text(5), [], null, Sequence: rows.GetInt64(0)));
        }
        return entries;
    }

    /// <summary>The source's latest <paramref name="limit"/> dead letters received after <paramref name="after"/>.</summary>
    public async Task<List<LiveEntry>> DeadLettersAsync(string tenant, string source, DateTimeOffset after, int limit, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var letters = await session.Query<DeadLetter>()
            .Where(d => d.TenantId == tenant && d.SourceId == source && d.ReceivedAt > after)
            .OrderByDescending(d => d.ReceivedAt).Take(limit).ToListAsync(ct);
        return letters.Select(d =>
        {
            var raw = StoredMessages.Summarize(d.Raw, d.Format);
            var payload = d.Raw is not null ? JsonDocument.Parse(d.Raw).RootElement.Clone() : d.Event?.Payload;
            return new LiveEntry($"deadLettered:{d.Id}", LiveEntry.DeadLettered, d.ReceivedAt ?? after, d.Event?.MessageId ?? raw.MessageId,
                d.Event?.Type ?? raw.Type, d.Event?.Name ?? raw.Name, d.Event?.UserId ?? d.UserId, d.Event?.AnonymousId, FlagNames(d.Event?.Flags ?? EventFlags.None),
                payload, DeadLetterId: d.Id, Reasons: d.Reasons, ReplayedAt: d.ReplayedAt);
        }).ToList();
    }

    private static List<string> FlagNames(EventFlags flags) =>
        AllFlags.Where(f => flags.HasFlag(f)).Select(f => JsonNamingPolicy.CamelCase.ConvertName(f.ToString())).ToList();
}
