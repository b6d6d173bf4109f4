using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace Personalization.Triggers.Feedback;

/// <summary>
/// Feedback events on their way to ingestion: written here first (in the same breath as what they report), then
/// posted in batches and marked, so an ingestion outage delays them and loses none.
/// </summary>
public sealed class FeedbackStore(NpgsqlDataSource dataSource, TriggersSchema schema)
{
    private const string Table = TriggersSchema.Name + ".feedback";

    /// <summary>An event's message id: from the send key and what happened (and, for repeatable events, a fresh part).</summary>
    public static string MessageId(string sendKey, string what) =>
        "triggers-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{sendKey}\n{what}")))[..32];

    public async Task AddAsync(FeedbackEvent e, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var batch = new NpgsqlBatch(await dataSource.OpenConnectionAsync(cancellationToken)) { BatchCommands = { Insert(e) } };
        await using var connection = batch.Connection!;
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The statement that adds the event, for a batch that writes it with what it reports.</summary>
    public static NpgsqlBatchCommand Insert(FeedbackEvent e) => TriggersSql.Batched($"""
        insert into {Table} (message_id, tenant_id, user_id, event, properties, at) values ($1, $2, $3, $4, $5::jsonb, $6) on conflict do nothing
        """, e.MessageId, e.TenantId, e.UserId, e.Event, e.Properties.GetRawText(), e.At);

    /// <summary>The oldest events not yet posted, of tenants in <paramref name="tenants"/> (those with a write key).</summary>
    public async Task<IReadOnlyList<FeedbackEvent>> PendingAsync(IReadOnlyCollection<string> tenants, int limit, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand($"""
            select message_id, tenant_id, user_id, event, properties, at from {Table}
            where posted_at is null and tenant_id = any($1) order by at limit $2
            """);
        command.Parameters.AddWithValue(tenants.ToArray());
        command.Parameters.AddWithValue(limit);
        var pending = new List<FeedbackEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            pending.Add(new FeedbackEvent(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                JsonDocument.Parse(reader.GetString(4)).RootElement.Clone(), reader.GetFieldValue<DateTimeOffset>(5)));
        return pending;
    }

    /// <summary>Sets aside an event ingestion refused for good, with why, so the ones after it are posted.</summary>
    public async Task RefusedAsync(string messageId, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"update {Table} set posted_at = $2, refused = $3 where message_id = $1");
        command.Parameters.AddWithValue(messageId);
        command.Parameters.AddWithValue(at);
        command.Parameters.AddWithValue(reason);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task PostedAsync(IEnumerable<string> messageIds, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"update {Table} set posted_at = $2 where message_id = any($1)");
        command.Parameters.AddWithValue(messageIds.ToArray());
        command.Parameters.AddWithValue(at);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
