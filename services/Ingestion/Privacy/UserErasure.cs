using Personalization.Contracts.Privacy;
using System.Security.Cryptography;
using System.Text;
using Marten;
using MassTransit;
using Npgsql;
using Personalization.Contracts;
using Personalization.Contracts.EventLog;
using Personalization.Contracts.V1;
using Personalization.Ingestion.Identity;
using Personalization.Ingestion.TrackingPlans;

namespace Personalization.Ingestion.Privacy;

public sealed record ErasureOutcome(Guid ErasureId, int StreamsErased, long EventsErased);

/// <summary>
/// Erases a user (GDPR/CCPA): their stream and the anonymous streams linked to them, their identity links,
/// consent and dead letters, and, through a transient command, the profile actors' state. What stays is an audit
/// record with a hash of the user, not the user. Every step is idempotent, so a failed erasure can simply be retried.
/// </summary>
public sealed class UserErasure(IDocumentStore store, NpgsqlDataSource dataSource, IPublishEndpoint publisher, ConsentDirectory consents, TimeProvider clock)
{
    public static string ErasuresStream(string tenantId) => $"{tenantId}/erasures";

    public static string UserHash(string tenantId, string userId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{tenantId}/{userId}")));

    public async Task<ErasureOutcome> EraseAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        var erasureId = Guid.NewGuid();
        var streams = await StreamsOfAsync(tenantId, userId, cancellationToken);

        // State first: if this fails nothing is lost yet, and a retry sends it again.
        await publisher.Publish(new ProfileErasureRequested(erasureId, tenantId, streams, clock.GetUtcNow()), cancellationToken);

        long events = 0;
        await using (var session = store.QuerySession())
            foreach (var stream in streams)
                events += (await session.Events.FetchStreamStateAsync(stream, cancellationToken))?.Version ?? 0;
        foreach (var stream in streams)
            await store.Advanced.Clean.DeleteSingleEventStreamAsync(stream, ct: cancellationToken);

        await using var write = store.LightweightSession();
        write.DeleteWhere<DeadLetter>(d => d.TenantId == tenantId && (d.UserId == userId || d.Event!.UserId == userId));
        write.Delete<Consent>(Consent.IdFor(tenantId, userId));
        write.QueueSqlCommand($"delete from {store.Options.DatabaseSchemaName}.{IdentityLinks.Table} where tenant_id = ? and user_id = ?", tenantId, userId);
        write.Events.Append(ErasuresStream(tenantId),
            new UserErased(erasureId, tenantId, UserHash(tenantId, userId), streams.Count, events, clock.GetUtcNow()));
        await write.SaveChangesAsync(cancellationToken);
        consents.Forget(Consent.IdFor(tenantId, userId));
        return new ErasureOutcome(erasureId, streams.Count, events);
    }

    /// <summary>The user's own stream and every anonymous stream linked to them.</summary>
    public async Task<IReadOnlyList<string>> StreamsOfAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        var streams = new List<string> { StreamKey.ForUser(tenantId, userId).ToString() };
        await using var command = dataSource.CreateCommand(
            $"select anonymous_id from {store.Options.DatabaseSchemaName}.{IdentityLinks.Table} where tenant_id = $1 and user_id = $2");
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(userId);
        await using var rows = await command.ExecuteReaderAsync(cancellationToken);
        while (await rows.ReadAsync(cancellationToken))
            streams.Add(StreamKey.For(tenantId, null, rows.GetString(0)).ToString());
        return streams;
    }
}
