namespace Personalization.Segmentation.Segments.Store;

public sealed record SizePoint(DateTimeOffset At, long Members);

/// <summary>A segment's members now, and how many it had at the end of each interval of the span asked for.</summary>
public sealed record SegmentSize(string SegmentId, long Members, IReadOnlyList<SizePoint> History);

/// <summary>
/// A segment's size over time, read back from its transitions (every entry and exit is kept): the size at an instant
/// is today's count less the entries, plus the exits, since.
/// </summary>
public sealed class SegmentSizeHistory(Npgsql.NpgsqlDataSource dataSource, SegmentationSchema schema, SegmentMembers members, TimeProvider clock)
{
    public const int Points = 48;

    public async Task<SegmentSize> ReadAsync(string tenantId, string segmentId, TimeSpan span, CancellationToken ct)
    {
        await schema.EnsureAsync();
        var now = clock.GetUtcNow();
        var since = now - span;
        var bucket = span / Points;
        var current = await members.CountAsync(tenantId, segmentId, ct);

        await using var command = dataSource.CreateCommand($"""
            select least(floor(extract(epoch from (at - $3)) / $4)::int, {Points - 1}), sum(case when entered then 1 else -1 end)
            from {SegmentationSchema.Name}.transitions where tenant_id = $1 and segment_id = $2 and at > $3
            group by 1
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(segmentId);
        command.Parameters.AddWithValue(since);
        command.Parameters.AddWithValue(bucket.TotalSeconds);
        var net = new long[Points];
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                net[Math.Max(0, reader.GetInt32(0))] += reader.GetInt64(1);

        // Walking back from now: the size at the end of bucket i is the size after it less what bucket i+1 on changed.
        var history = new SizePoint[Points + 1];
        var size = current;
        history[Points] = new SizePoint(now, size);
        for (var i = Points - 1; i >= 0; i--)
        {
            size -= net[i];
            history[i] = new SizePoint(since + bucket * i, Math.Max(0, size));
        }
        return new SegmentSize(segmentId, current, history);
    }
}
