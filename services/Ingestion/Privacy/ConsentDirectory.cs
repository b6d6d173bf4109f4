using Marten;
using Microsoft.Extensions.Caching.Memory;
using Personalization.Contracts;
using Personalization.Contracts.EventLog;

namespace Personalization.Ingestion.Privacy;

/// <summary>Users who withdrew consent through the API, looked up per request and cached briefly.</summary>
public sealed class ConsentDirectory(IDocumentStore store, IMemoryCache cache)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    /// <summary>The consent documents' ids, among <paramref name="ids"/>, that deny personalization.</summary>
    public async Task<IReadOnlySet<string>> DeniedAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var denied = new HashSet<string>();
        var toLoad = new List<string>();
        foreach (var id in ids.Distinct())
        {
            if (!cache.TryGetValue("consent:" + id, out bool isDenied)) toLoad.Add(id);
            else if (isDenied) denied.Add(id);
        }
        if (toLoad.Count == 0) return denied;

        await using var session = store.QuerySession();
        var found = (await session.LoadManyAsync<Consent>(cancellationToken, toLoad)).ToDictionary(c => c.Id);
        foreach (var id in toLoad)
        {
            var isDenied = found.TryGetValue(id, out var consent) && !consent.Personalization;
            cache.Set("consent:" + id, isDenied, CacheFor);
            if (isDenied) denied.Add(id);
        }
        return denied;
    }

    public void Forget(string id) => cache.Remove("consent:" + id);

    /// <summary>Flags the events of users who withdrew consent through the API.</summary>
    public async Task<IReadOnlyList<EventAccepted>> FlagWithdrawnAsync(IReadOnlyList<EventAccepted> events, CancellationToken cancellationToken)
    {
        var known = events.Where(e => e.UserId is not null).Select(e => Consent.IdFor(e.TenantId, e.UserId!)).ToList();
        if (known.Count == 0) return events;
        var denied = await DeniedAsync(known, cancellationToken);
        return denied.Count == 0
            ? events
            : events.Select(e => e.UserId is not null && denied.Contains(Consent.IdFor(e.TenantId, e.UserId)) ? e with { Flags = e.Flags | EventFlags.NoConsent } : e).ToList();
    }
}
