using Npgsql;
using Personalization.Triggers.Templates;

namespace Personalization.Triggers.Delivery;

/// <summary>The channels on which a person gets nothing more, after a hard bounce.</summary>
public sealed class Suppressions(NpgsqlDataSource dataSource, TriggersSchema schema)
{
    private const string Table = TriggersSchema.Name + ".suppressions";

    /// <returns>The statement that suppresses the channel for the person, for a batch that writes it with the bounce.</returns>
    public static NpgsqlBatchCommand Suppress(string tenantId, string userId, Channel channel, string reason, DateTimeOffset at) =>
        TriggersSql.Batched($"insert into {Table} (tenant_id, user_id, channel, reason, at) values ($1, $2, $3, $4, $5) on conflict do nothing",
            tenantId, userId, channel.ToString(), reason, at);

    public async Task<IReadOnlySet<Channel>> ForAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand($"select channel from {Table} where tenant_id = $1 and user_id = $2");
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(userId);
        var channels = new HashSet<Channel>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) channels.Add(Enum.Parse<Channel>(reader.GetString(0)));
        return channels;
    }
}
