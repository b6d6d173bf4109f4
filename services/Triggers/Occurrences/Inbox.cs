using Npgsql;

namespace Personalization.Triggers.Occurrences;

/// <summary>
/// The messages the journeys have acted on, by id: a redelivered event or segment entry is passed over. A message
/// is marked once every occurrence it concerns has had it, so a crash before then acts on it again, which the
/// occurrences take in their stride (an entry names its message; a step already passed ignores its event).
/// </summary>
public sealed class Inbox(NpgsqlDataSource dataSource, TriggersSchema schema, TimeProvider clock)
{
    private const string Table = TriggersSchema.Name + ".inbox";

    /// <summary>Those of the messages already acted on, in one query.</summary>
    public async Task<IReadOnlySet<string>> SeenAsync(IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand($"select message_id from {Table} where message_id = any($1)");
        command.Parameters.AddWithValue(messageIds.ToArray());
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) seen.Add(reader.GetString(0));
        return seen;
    }

    public async Task MarkAsync(IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken)
    {
        if (messageIds.Count == 0) return;
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand($"insert into {Table} (message_id, at) select unnest($1), $2 on conflict do nothing");
        command.Parameters.AddWithValue(messageIds.ToArray());
        command.Parameters.AddWithValue(clock.GetUtcNow());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Forgets at most <paramref name="batch"/> messages marked longer than <paramref name="retention"/> ago, in one
    /// short statement (SKIP LOCKED: another replica's pruning or a mark in flight is left alone); returns how many.
    /// </summary>
    public async Task<int> PruneAsync(TimeSpan retention, int batch, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand($"""
            delete from {Table} as seen
            using (select message_id from {Table} where at < $1 limit $2 for update skip locked) as expired
            where seen.message_id = expired.message_id
            """);
        command.Parameters.AddWithValue(clock.GetUtcNow() - retention);
        command.Parameters.AddWithValue(batch);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
