using Marten;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Personalization.Contracts;
using Personalization.Contracts.EventLog;

namespace Personalization.Ingestion.Identity;

/// <summary>
/// Links anonymous ids to users as identify and alias calls arrive, and sends later anonymous-only events to the
/// linked user's stream, so one person's events land in one stream. (The payload keeps what the publisher sent;
/// only the stored userId is resolved.) History from before the link is folded in by the profile, which reads the
/// anonymous stream when it meets the linking call.
/// </summary>
public sealed class IdentityResolver(NpgsqlDataSource dataSource, IDocumentStore store, IMemoryCache cache, IOptions<IdentityOptions> options)
{
    // Links never change once made, so found ones are cached long; "no link yet" only briefly.
    private static readonly TimeSpan KnownFor = TimeSpan.FromMinutes(10);
    private readonly TimeSpan _unknownFor = options.Value.UnlinkedCacheFor;

    private readonly string _schema = store.Options.DatabaseSchemaName;

    public async Task<IReadOnlyList<EventAccepted>> ResolveAsync(IReadOnlyList<EventAccepted> events, CancellationToken cancellationToken)
    {
        var links = events
            .Select(e => IdentityLink.AnonymousIdLinkedBy(e.Type, e.UserId, e.AnonymousId, e.Payload) is { } anonymousId
                ? (e.TenantId, AnonymousId: anonymousId, UserId: e.UserId!)
                : default)
            .Where(link => link.UserId is not null)
            .DistinctBy(link => (link.TenantId, link.AnonymousId))
            .ToList();
        if (links.Count > 0)
            await SaveAsync(links, cancellationToken);

        var unresolved = events.Where(e => e.UserId is null && e.AnonymousId is not null).Select(e => (e.TenantId, e.AnonymousId!)).Distinct().ToList();
        if (unresolved.Count == 0)
            return events;

        var owners = await FindAsync(unresolved, cancellationToken);
        return events
            .Select(e => e.UserId is null && e.AnonymousId is not null && owners.TryGetValue((e.TenantId, e.AnonymousId), out var user) ? e with { UserId = user } : e)
            .ToList();
    }

    private async Task SaveAsync(List<(string TenantId, string AnonymousId, string UserId)> links, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            insert into {_schema}.{IdentityLinks.Table} (tenant_id, anonymous_id, user_id, linked_at)
            select t, a, u, now() from unnest(@tenants, @anonymous, @users) as l(t, a, u)
            on conflict (tenant_id, anonymous_id) do nothing
            """);
        command.Parameters.Add(new NpgsqlParameter("tenants", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = links.Select(l => l.TenantId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("anonymous", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = links.Select(l => l.AnonymousId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("users", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = links.Select(l => l.UserId).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
        foreach (var link in links)
            cache.Remove(CacheKey(link.TenantId, link.AnonymousId));
    }

    private async Task<Dictionary<(string, string), string>> FindAsync(List<(string TenantId, string AnonymousId)> ids, CancellationToken cancellationToken)
    {
        var owners = new Dictionary<(string, string), string>();
        var toLoad = new List<(string TenantId, string AnonymousId)>();
        foreach (var id in ids)
        {
            if (!cache.TryGetValue(CacheKey(id.TenantId, id.AnonymousId), out string? user)) toLoad.Add(id);
            else if (user is not null) owners[id] = user;
        }
        if (toLoad.Count == 0) return owners;

        await using var command = dataSource.CreateCommand(
            $"""
            select l.tenant_id, l.anonymous_id, l.user_id
            from {_schema}.{IdentityLinks.Table} l
            join unnest(@tenants, @anonymous) as wanted(t, a) on l.tenant_id = wanted.t and l.anonymous_id = wanted.a
            """);
        command.Parameters.Add(new NpgsqlParameter("tenants", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = toLoad.Select(i => i.TenantId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("anonymous", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = toLoad.Select(i => i.AnonymousId).ToArray() });
        await using (var rows = await command.ExecuteReaderAsync(cancellationToken))
            while (await rows.ReadAsync(cancellationToken))
                owners[(rows.GetString(0), rows.GetString(1))] = rows.GetString(2);

        foreach (var id in toLoad)
            cache.Set(CacheKey(id.TenantId, id.AnonymousId), owners.GetValueOrDefault(id), owners.ContainsKey(id) ? KnownFor : _unknownFor);
        return owners;
    }

    private static string CacheKey(string tenantId, string anonymousId) => $"identity:{tenantId}:{anonymousId}";
}
