using Npgsql;

namespace Personalization.Triggers.Delivery;

public sealed record ChannelStats(string Channel, long Sent, long Opened, long Clicked)
{
    public double? ClickThroughRate => Sent == 0 ? null : (double)Clicked / Sent;
}

public sealed record SentCount(DateTimeOffset At, long Sent);

/// <summary>
/// A tenant's messaging over a span: per channel what was sent, opened and clicked in it; sends per interval; people
/// who entered journeys, and those whose occurrence ended on an exit criterion (the journey's goal).
/// </summary>
public sealed record MessageStats(int IntervalSeconds, IReadOnlyList<ChannelStats> Channels, IReadOnlyList<SentCount> Sent, long Entered, long Converted)
{
    public double? ConversionRate => Entered == 0 ? null : (double)Converted / Entered;
}

/// <summary>Counts for the console's overview, from the outbox and the journeys' record.</summary>
public sealed class MessageStatsReader(NpgsqlDataSource dataSource, TriggersSchema schema, TimeProvider clock)
{
    public const int Intervals = 60;
    // Opens and clicks come after the send: messages queued this long before the span still count theirs.
    private static readonly TimeSpan EngagementLag = TimeSpan.FromDays(7);

    public async Task<MessageStats> ReadAsync(string tenantId, TimeSpan span, CancellationToken ct)
    {
        await schema.EnsureAsync();
        var since = clock.GetUtcNow() - span;
        var width = span / Intervals;
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command($"""
            select channel, count(*) filter (where sent_at > $2), count(*) filter (where opened_at > $2), count(*) filter (where clicked_at > $2)
            from {TriggersSchema.Name}.outbox where tenant_id = $1 and created_at > $3 group by channel order by channel
            """, tenantId, since, since - EngagementLag));
        batch.BatchCommands.Add(Command($"""
            select least(floor(extract(epoch from (sent_at - $2)) / $3)::int, {Intervals - 1}), count(*)
            from {TriggersSchema.Name}.outbox where tenant_id = $1 and created_at > $4 and sent_at > $2 group by 1
            """, tenantId, since, width.TotalSeconds, since - EngagementLag));
        batch.BatchCommands.Add(Command($"""
            select count(*) filter (where outcome in ('entered', 'heldOut')), count(*) filter (where outcome = 'exited')
            from {TriggersSchema.Name}.journey_log where tenant_id = $1 and at > $2
            """, tenantId, since));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var channels = new List<ChannelStats>();
        while (await reader.ReadAsync(ct)) channels.Add(new ChannelStats(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
        await reader.NextResultAsync(ct);
        var sent = new long[Intervals];
        while (await reader.ReadAsync(ct)) sent[Math.Max(0, reader.GetInt32(0))] += reader.GetInt64(1);
        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        var (entered, converted) = (reader.GetInt64(0), reader.GetInt64(1));
        return new MessageStats((int)width.TotalSeconds, channels, sent.Select((n, i) => new SentCount(since + width * (i + 1), n)).ToList(), entered, converted);
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values) command.Parameters.AddWithValue(value);
        return command;
    }
}
