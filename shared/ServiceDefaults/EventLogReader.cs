using Marten;
using Personalization.Contracts;
using Personalization.Contracts.EventLog;
using Personalization.Contracts.V1;

namespace Personalization.ServiceDefaults;

/// <summary>Reads a person's stream from the event log as the messages the relay would have sent.</summary>
public sealed class EventLogReader(IEventLogStore eventLog)
{
    /// <summary>Events from <paramref name="fromVersion"/> to <paramref name="toVersion"/> (0: to the end).</summary>
    public async Task<IReadOnlyList<EventRecorded>> ReadAsync(string streamKey, long fromVersion, long toVersion, CancellationToken cancellationToken)
    {
        await using var session = eventLog.QuerySession();
        var stored = await session.Events.FetchStreamAsync(streamKey, version: toVersion, fromVersion: fromVersion, token: cancellationToken);
        return stored
            .Where(e => e.Data is EventAccepted)
            .Select(e => ((EventAccepted)e.Data).ToMessage(e.Id, e.Sequence, e.Version))
            .ToList();
    }

    /// <summary>
    /// The tenant's stream keys (every tenant's when <paramref name="tenantId"/> is null) after <paramref name="after"/>
    /// (null: from the first), in key order; only people's streams (no anonymous ones) when <paramref name="peopleOnly"/>.
    /// </summary>
    public async Task<IReadOnlyList<string>> StreamsAsync(string? tenantId, string? after, int limit, CancellationToken cancellationToken, bool peopleOnly = false)
    {
        await using var session = eventLog.QuerySession();
        return await session.QueryAsync<string>(
            $"select id from {EventLog.Schema}.mt_streams where starts_with(id, ?) and id > ? order by id limit ?",
            cancellationToken, tenantId is null ? "" : tenantId + "/" + (peopleOnly ? StreamKey.UserPrefix : ""), after ?? "", limit);
    }

    /// <summary>Up to <paramref name="size"/> of the tenant's stream keys, drawn at random.</summary>
    public async Task<IReadOnlyList<string>> SampleStreamsAsync(string tenantId, int size, CancellationToken cancellationToken)
    {
        await using var session = eventLog.QuerySession();
        return await session.QueryAsync<string>(
            $"select id from {EventLog.Schema}.mt_streams where starts_with(id, ?) order by random() limit ?",
            cancellationToken, tenantId + "/", size);
    }

    public async Task<long> CountStreamsAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var session = eventLog.QuerySession();
        var counts = await session.QueryAsync<long>(
            $"select count(*) from {EventLog.Schema}.mt_streams where starts_with(id, ?)", cancellationToken, tenantId + "/");
        return counts.Single();
    }

    /// <summary>The user an anonymous id belongs to (the first to be linked to it), or null while it has no link.</summary>
    public async Task<string?> LinkedUserAsync(string tenantId, string anonymousId, CancellationToken cancellationToken)
    {
        await using var session = eventLog.QuerySession();
        var users = await session.QueryAsync<string>(
            $"select user_id from {EventLog.Schema}.{EventLog.IdentityLinksTable} where tenant_id = ? and anonymous_id = ?",
            cancellationToken, tenantId, anonymousId);
        return users.SingleOrDefault();
    }
}
