using System.Buffers;
using System.Text;
using JasperFx;
using JasperFx.Events;
using JasperFx.MultiTenancy;
using Marten;
using Marten.Services;
using Npgsql;
using NpgsqlTypes;
using Personalization.Contracts.EventLog;

namespace Personalization.Ingestion.Storage;

/// <summary>
/// Appends a whole commit's events to Marten's event tables (mt_streams, mt_events) in one set-based statement.
/// Marten's own quick append sends one function call per stream, and a group commit of visitors' events touches
/// about as many streams as it holds events: parsing, planning and running thousands of calls cost PostgreSQL about
/// twice the CPU of the whole commit done here (bench/IngestionLoad/RESULTS.md).
/// <para>
/// The rows are what Marten's quick append writes: the event type name, .NET type name, tenant and JSON come from
/// the store's own configuration and serializer, versions continue the stream's, and seq_id comes from Marten's
/// sequence in stream order, so the async daemon, FetchStream and rebuilds read them like any other events. The
/// stream upsert locks each stream row, so concurrent writers to one stream (other nodes) queue instead of clashing
/// on versions. Only the store layout this service uses is supported; the constructor refuses any other.
/// </para>
/// </summary>
public sealed class SetBasedAppend : IStreamAppend
{
    private readonly string _sql;
    private readonly string _eventTypeName;
    private readonly string _dotNetTypeName;
    private readonly ISerializer _serializer;

    public SetBasedAppend(IDocumentStore store)
    {
        var events = store.Options.Events;
        if (events.StreamIdentity != StreamIdentity.AsString || events.TenancyStyle != TenancyStyle.Single
            || events.UseArchivedStreamPartitioning || events.UseTenantPartitionedEvents
            || events.MetadataConfig.HeadersEnabled || events.MetadataConfig.CausationIdEnabled
            || events.MetadataConfig.CorrelationIdEnabled || events.MetadataConfig.UserNameEnabled)
            throw new NotSupportedException(
                "The set-based append writes string-keyed, single-tenant streams without event metadata columns; " +
                "set Ingestion:SetBasedAppend to false for any other event store layout.");

        var type = events.AllKnownEventTypes().Single(t => t.EventType == typeof(EventAccepted));
        _eventTypeName = type.EventTypeName;
        _dotNetTypeName = type.DotNetTypeName;
        _serializer = store.Options.Serializer();

        var schema = events.DatabaseSchemaName;
        // Streams arrive sorted, so two writers lock shared streams in the same order and cannot deadlock. An
        // archived stream is not updated, so its events find no stream row and the count check below fails the commit.
        _sql = $"""
            with streams as (
                insert into {schema}.mt_streams as s (id, type, version, timestamp, tenant_id)
                select id, null, n, now(), @tenant from unnest(@stream_ids, @stream_counts) as t(id, n)
                on conflict (id) do update set version = s.version + excluded.version, timestamp = now()
                    where s.is_archived is not true
                returning s.id, s.version
            )
            insert into {schema}.mt_events (seq_id, id, stream_id, version, data, type, tenant_id, timestamp, mt_dotnet_type, is_archived)
            select nextval('{schema}.mt_events_sequence'), e.id, e.stream_id, streams.version - e.n + e.position,
                   e.data, @type, @tenant, now(), @dotnet_type, false
            from unnest(@event_streams, @event_ids, @event_data, @event_positions, @event_counts)
                with ordinality as e(stream_id, id, data, position, n, ord)
            join streams on streams.id = e.stream_id
            order by e.ord
            """;
    }

    /// <summary>Appends <paramref name="events"/> in their order; a stream's events get consecutive versions and rising seq_ids.</summary>
    /// <param name="scratch">
    /// Where the events' JSON is written (cleared first): the caller's reusable buffer, so a commit allocates no
    /// per-event strings and no large buffer of its own.
    /// </param>
    public async Task AppendAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<StreamEvent> events, ArrayBufferWriter<byte> scratch)
    {
        var perStream = new Dictionary<string, int>(events.Count, StringComparer.Ordinal);
        var positions = new long[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            ref var count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(perStream, events[i].StreamId, out _);
            positions[i] = ++count;
        }

        var streamIds = perStream.Keys.ToArray();
        Array.Sort(streamIds, StringComparer.Ordinal);
        var streamCounts = Array.ConvertAll(streamIds, id => (long)perStream[id]);

        var eventStreams = new string[events.Count];
        var ids = new Guid[events.Count];
        var counts = new long[events.Count];
        var ends = new int[events.Count];
        scratch.ResetWrittenCount();
        for (var i = 0; i < events.Count; i++)
        {
            eventStreams[i] = events[i].StreamId;
            ids[i] = Guid.CreateVersion7();
            counts[i] = perStream[events[i].StreamId];
            WriteJson(scratch, events[i].Event);
            ends[i] = scratch.WrittenCount;
        }
        // Sliced only now: the buffer may have moved while it grew.
        var data = new ReadOnlyMemory<byte>[events.Count];
        for (int i = 0, start = 0; i < events.Count; start = ends[i], i++)
            data[i] = scratch.WrittenMemory[start..ends[i]];

        await using var command = new NpgsqlCommand(_sql, connection, transaction);
        var parameters = command.Parameters;
        parameters.Add(new NpgsqlParameter<string>("tenant", NpgsqlDbType.Varchar) { TypedValue = StorageConstants.DefaultTenantId });
        parameters.Add(new NpgsqlParameter<string>("type", NpgsqlDbType.Varchar) { TypedValue = _eventTypeName });
        parameters.Add(new NpgsqlParameter<string>("dotnet_type", NpgsqlDbType.Varchar) { TypedValue = _dotNetTypeName });
        parameters.Add(new NpgsqlParameter<string[]>("stream_ids", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { TypedValue = streamIds });
        parameters.Add(new NpgsqlParameter<long[]>("stream_counts", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = streamCounts });
        parameters.Add(new NpgsqlParameter<string[]>("event_streams", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { TypedValue = eventStreams });
        parameters.Add(new NpgsqlParameter<Guid[]>("event_ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { TypedValue = ids });
        parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>[]>("event_data", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { TypedValue = data });
        parameters.Add(new NpgsqlParameter<long[]>("event_positions", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = positions });
        parameters.Add(new NpgsqlParameter<long[]>("event_counts", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = counts });

        var inserted = await command.ExecuteNonQueryAsync();
        if (inserted != events.Count)
            throw new InvalidOperationException(
                $"Appended {inserted} of {events.Count} events: a stream in this commit is archived, and archived streams take no new events.");
    }

    // UTF-8 straight into the buffer when the store uses Marten's System.Text.Json serializer (it does here).
    private void WriteJson(ArrayBufferWriter<byte> buffer, EventAccepted e)
    {
        if (_serializer is SystemTextJsonSerializer utf8)
            utf8.WriteTo(buffer, e);
        else
            Encoding.UTF8.GetBytes(_serializer.ToJson(e), buffer);
    }
}
