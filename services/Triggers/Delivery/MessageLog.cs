using Npgsql;

namespace Personalization.Triggers.Delivery;

/// <summary>A message a journey queued, and what became of it, as the admin API lists it.</summary>
public sealed record MessageLogEntry(
    string SendKey, string JourneyId, int Version, string UserId, string StepId, string Channel, string TemplateId, string Status,
    int Attempts, string? Reason, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? SentAt, DateTimeOffset? OpenedAt, DateTimeOffset? ClickedAt);

/// <summary>The outbox read as a log: a journey's or a person's messages, the newest first.</summary>
public sealed class MessageLog(NpgsqlDataSource dataSource, TriggersSchema schema)
{
    public const int MaxLimit = 500;

    public async Task<IReadOnlyList<MessageLogEntry>> ReadAsync(string tenantId, string? journeyId, string? userId, int limit, CancellationToken ct)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand($"""
            select send_key, journey_id, version, user_id, step_id, channel, template_id, status, attempts, reason, last_error,
                   created_at, sent_at, opened_at, clicked_at
            from {TriggersSchema.Name}.outbox
            where tenant_id = $1 and ($2::text is null or journey_id = $2) and ($3::text is null or user_id = $3)
            order by created_at desc limit $4
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)journeyId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)userId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.AddWithValue(Math.Clamp(limit, 1, MaxLimit));
        var entries = new List<MessageLogEntry>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            DateTimeOffset? At(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateTimeOffset>(i);
            entries.Add(new MessageLogEntry(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.GetInt32(8), Text(9), Text(10),
                reader.GetFieldValue<DateTimeOffset>(11), At(12), At(13), At(14)));
        }
        return entries;
    }
}
