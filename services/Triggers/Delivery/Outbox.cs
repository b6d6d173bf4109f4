using System.Text.Json;
using Npgsql;
using Personalization.Triggers.Policy;
using Personalization.Triggers.Templates;

namespace Personalization.Triggers.Delivery;

/// <summary>A person's engagement with a sent message.</summary>
public enum Engagement { Opened, Clicked }

/// <summary>
/// The messages journeys queued, taken by the senders under a lease: a sender that dies mid-send leaves its
/// messages to be taken again when the lease ends. Each outcome is written with the journey's record of it.
/// </summary>
public sealed class Outbox(NpgsqlDataSource dataSource, TriggersSchema schema)
{
    private const string Table = TriggersSchema.Name + ".outbox";
    private const string Columns = "send_key, tenant_id, journey_id, version, user_id, actor_id, number, step_id, channel, template_id, scenario, url, group_id, entry_event, attempts, trace_parent";

    /// <summary>How long a taken message is a sender's; longer than a send takes with its retries.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    /// <summary>Takes up to <paramref name="limit"/> messages that are due, the longest due first.</summary>
    public async Task<IReadOnlyList<OutboxMessage>> TakeAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand($"""
            update {Table} set lease_until = $2, attempts = attempts + 1
            where send_key in (
                select send_key from {Table} where status = 'Pending' and not_before <= $1 and (lease_until is null or lease_until < $1)
                order by not_before limit $3 for update skip locked)
            returning {Columns}
            """);
        command.Parameters.AddWithValue(now);
        command.Parameters.AddWithValue(now + Lease);
        command.Parameters.AddWithValue(limit);
        var taken = new List<OutboxMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) taken.Add(Read(reader));
        return taken;
    }

    /// <summary>
    /// Notes that a sent message was opened or clicked, and records the first time in the journey's record.
    /// </summary>
    /// <returns>The message and its recommendation id, or null for a key that names no sent message.</returns>
    public async Task<(OutboxMessage Message, string? RecommendationId)?> TrackAsync(string sendKey, Engagement engagement, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        var column = engagement == Engagement.Opened ? "opened_at" : "clicked_at";
        await using var command = dataSource.CreateCommand($"""
            update {Table} set {column} = coalesce({column}, $2) where send_key = $1 and status = 'Sent'
            returning {Columns}, recommendation_id, {column} = $2
            """);
        command.Parameters.AddWithValue(sendKey);
        command.Parameters.AddWithValue(now);
        (OutboxMessage, string?, bool)? found = null;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            if (await reader.ReadAsync(cancellationToken))
                found = (Read(reader), reader.IsDBNull(16) ? null : reader.GetString(16), reader.GetBoolean(17));
        if (found is not ({ } message, var recommendationId, var first)) return null;
        if (first) await SettleAsync(message, null, [], engagement == Engagement.Opened ? "opened" : "clicked", null, now, [], cancellationToken);
        return (message, recommendationId);
    }

    /// <summary>The person's messages sent since <paramref name="since"/>, as the caps count them.</summary>
    public async Task<IReadOnlyList<PastSend>> SentToAsync(string tenantId, string userId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"select sent_at, channel, journey_id from {Table} where tenant_id = $1 and user_id = $2 and status = 'Sent' and sent_at > $3");
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(userId);
        command.Parameters.AddWithValue(since);
        var sent = new List<PastSend>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            sent.Add(new PastSend(reader.GetFieldValue<DateTimeOffset>(0), Enum.Parse<Channel>(reader.GetString(1)), reader.GetString(2)));
        return sent;
    }

    /// <param name="also">What is written with it in the same transaction (the feedback event that reports it).</param>
    public Task SentAsync(OutboxMessage message, string? recommendationId, DateTimeOffset now, CancellationToken cancellationToken, params NpgsqlBatchCommand[] also) =>
        SettleAsync(message, "status = 'Sent', sent_at = $2, recommendation_id = $3, lease_until = null, last_error = null", [now, recommendationId],
            "sent", recommendationId, now, also, cancellationToken);

    /// <param name="also">What is written with it in the same transaction (a bounce's suppression and feedback event).</param>
    public Task SkippedAsync(OutboxMessage message, string reason, DateTimeOffset now, CancellationToken cancellationToken, params NpgsqlBatchCommand[] also) =>
        SettleAsync(message, "status = 'Skipped', reason = $2, lease_until = null", [reason], "skipped", reason, now, also, cancellationToken);

    /// <summary>Puts the message back until <paramref name="until"/>; a deferral by the contact policy is recorded, a retry after a failure is not.</summary>
    public Task PutBackAsync(OutboxMessage message, DateTimeOffset until, string reason, bool deferred, DateTimeOffset now, CancellationToken cancellationToken) =>
        SettleAsync(message, $"not_before = $2, lease_until = null, {(deferred ? "reason" : "last_error")} = $3", [until.ToUniversalTime(), reason],
            deferred ? "deferred" : null, reason, now, [], cancellationToken);

    private static OutboxMessage Read(NpgsqlDataReader reader) => new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4),
        reader.GetString(5), reader.GetInt32(6), reader.GetString(7), Enum.Parse<Channel>(reader.GetString(8)), reader.GetString(9),
        reader.IsDBNull(10) ? null : reader.GetString(10), reader.IsDBNull(11) ? null : new Uri(reader.GetString(11)),
        reader.IsDBNull(12) ? null : reader.GetString(12), JsonDocument.Parse(reader.GetString(13)).RootElement.Clone(), reader.GetInt32(14),
        reader.IsDBNull(15) ? null : reader.GetString(15));

    /// <param name="set">The outbox row's change; null for none.</param>
    private async Task SettleAsync(OutboxMessage message, string? set, object?[] values, string? outcome, string? detail, DateTimeOffset now,
        IEnumerable<NpgsqlBatchCommand> also, CancellationToken cancellationToken)
    {
        var batch = new NpgsqlBatch(await dataSource.OpenConnectionAsync(cancellationToken));
        await using var connection = batch.Connection!;
        if (set is not null) batch.BatchCommands.Add(TriggersSql.Batched($"update {Table} set {set} where send_key = $1", [message.SendKey, .. values]));
        foreach (var command in also) batch.BatchCommands.Add(command);
        if (outcome is not null)
            batch.BatchCommands.Add(TriggersSql.JourneyRecord(message.TenantId, message.JourneyId, message.Version, message.UserId, message.ActorId, message.Number,
                message.StepId, outcome, detail, now));
        await using (batch)
            await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
