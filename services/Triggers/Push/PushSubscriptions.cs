using Npgsql;

namespace Personalization.Triggers.Push;

/// <summary>A browser's or app's Web Push subscription (RFC 8030): where to post, and the keys to encrypt for (RFC 8291).</summary>
public sealed record PushSubscriptionKeys(string Endpoint, string P256dh, string Auth);

/// <summary>
/// The people's push subscriptions, per tenant, kept from their "Push Subscribed" and "Push Unsubscribed" events and
/// dropped when the push service answers that one is gone (404 or 410).
/// </summary>
public sealed class PushSubscriptions(NpgsqlDataSource dataSource, TriggersSchema schema, TimeProvider clock)
{
    private const string Table = TriggersSchema.Name + ".push_subscriptions";

    /// <summary>Keeps the subscription for the person; an endpoint another person had moves to this one (the device changed hands).</summary>
    public async Task SaveAsync(string tenantId, string userId, PushSubscriptionKeys subscription, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand($"""
            insert into {Table} (tenant_id, endpoint, user_id, p256dh, auth, at) values ($1, $2, $3, $4, $5, $6)
            on conflict (tenant_id, endpoint) do update set user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth, at = excluded.at
            """);
        foreach (var value in new object[] { tenantId, subscription.Endpoint, userId, subscription.P256dh, subscription.Auth, clock.GetUtcNow() })
            command.Parameters.AddWithValue(value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RemoveAsync(string tenantId, string endpoint, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand($"delete from {Table} where tenant_id = $1 and endpoint = $2");
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(endpoint);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<PushSubscriptionKeys>> ForAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand($"select endpoint, p256dh, auth from {Table} where tenant_id = $1 and user_id = $2 order by at");
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(userId);
        var subscriptions = new List<PushSubscriptionKeys>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) subscriptions.Add(new PushSubscriptionKeys(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        return subscriptions;
    }
}
