using Npgsql;

namespace Personalization.Triggers.Subscriptions;

/// <summary>The subscription groups people have left, per tenant; sends in a group a person left are skipped.</summary>
public sealed class SubscriptionStore(NpgsqlDataSource dataSource, TriggersSchema schema, TimeProvider clock)
{
    private const string Table = TriggersSchema.Name + ".unsubscribes";

    /// <returns>False when the person had already left the group.</returns>
    public async Task<bool> UnsubscribeAsync(UnsubscribeLink link, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand($"insert into {Table} (tenant_id, user_id, group_id, at) values ($1, $2, $3, $4) on conflict do nothing");
        command.Parameters.AddWithValue(link.TenantId);
        command.Parameters.AddWithValue(link.UserId);
        command.Parameters.AddWithValue(link.Group);
        command.Parameters.AddWithValue(clock.GetUtcNow());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlySet<string>> LeftAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand($"select group_id from {Table} where tenant_id = $1 and user_id = $2");
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(userId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var groups = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken)) groups.Add(reader.GetString(0));
        return groups;
    }
}
