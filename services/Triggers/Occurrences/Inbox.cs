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

    public async Task<bool> SeenAsync(string messageId, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand($"select exists (select 1 from {Table} where message_id = $1)");
        command.Parameters.AddWithValue(messageId);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task MarkAsync(string messageId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"insert into {Table} (message_id, at) values ($1, $2) on conflict do nothing");
        command.Parameters.AddWithValue(messageId);
        command.Parameters.AddWithValue(clock.GetUtcNow());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
