using Npgsql;
using Personalization.Contracts;

namespace Personalization.Triggers.Privacy;

/// <summary>
/// Forgets an erased person in every table of Triggers that names them, in one transaction: occurrences and their
/// record, queued and sent messages, feedback not yet posted (posting it would put their events back in the log),
/// push subscriptions, unsubscribes and suppressions (a person who comes back starts afresh). A waiting
/// occurrence's reminder finds nothing when it fires and removes itself; actor ids and reminders hold no personal data.
/// </summary>
public sealed class PersonErasure(NpgsqlDataSource dataSource, TriggersSchema schema)
{
    private static readonly string[] Tables = ["occurrences", "journey_log", "outbox", "feedback", "push_subscriptions", "unsubscribes", "suppressions"];

    public async Task EraseAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var table in Tables)
            batch.BatchCommands.Add(TriggersSql.Batched($"delete from {TriggersSchema.Name}.{table} where tenant_id = $1 and user_id = $2", tenantId, userId));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The user id a stream key names, or null for an anonymous visitor's stream (Triggers keeps nothing of those).</summary>
    public static string? UserOf(string streamKey)
    {
        var slash = streamKey.IndexOf('/');
        var userKey = slash < 0 ? "" : streamKey[(slash + 1)..];
        return userKey.StartsWith(StreamKey.UserPrefix, StringComparison.Ordinal) ? userKey[StreamKey.UserPrefix.Length..] : null;
    }
}
