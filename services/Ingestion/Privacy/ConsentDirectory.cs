using Personalization.Contracts.Privacy;
using System.Collections.Concurrent;
using Marten;
using Personalization.Contracts;
using Personalization.Contracts.EventLog;

namespace Personalization.Ingestion.Privacy;

/// <summary>
/// Users who withdrew consent through the API. They are few next to the events, so each replica holds all of them in
/// memory instead of querying per request (at 100 users a batch that query cost more than the rest of the request).
/// A change made through this replica applies here at once; other replicas' changes arrive with the next refresh,
/// at most <see cref="RefreshEvery"/> later. Deleted consent (erasure) is caught by a full reload every
/// <see cref="ReloadEvery"/>; until then an erased user's new events stay flagged, which errs on the private side.
/// </summary>
public sealed class ConsentDirectory(IDocumentStore store, TimeProvider clock)
{
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan ReloadEvery = TimeSpan.FromMinutes(10);

    // Changes are re-read this far back: UpdatedAt comes from the writing replica's clock and is set before its commit.
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(30);

    // Replaced whole on a full reload, so readers never see a half-filled set.
    private volatile ConcurrentDictionary<string, byte> _denied = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private DateTimeOffset _changesSince = DateTimeOffset.MinValue;
    private DateTimeOffset _refreshedAt = DateTimeOffset.MinValue;
    private DateTimeOffset _reloadedAt = DateTimeOffset.MinValue;
    private volatile bool _loaded;

    /// <summary>Applies a change made through this replica at once.</summary>
    public void Record(Consent consent)
    {
        if (consent.Personalization) _denied.TryRemove(consent.Id, out _);
        else _denied[consent.Id] = 0;
    }

    /// <summary>Forgets an erased user's consent here at once.</summary>
    public void Forget(string id) => _denied.TryRemove(id, out _);

    /// <summary>Flags the events of users who withdrew consent through the API.</summary>
    public async Task<IReadOnlyList<EventAccepted>> FlagWithdrawnAsync(IReadOnlyList<EventAccepted> events, CancellationToken cancellationToken)
    {
        await RefreshIfDueAsync(cancellationToken);
        var denied = _denied;
        // The usual case on the hot path: nobody has withdrawn, so no id is built per event.
        if (denied.IsEmpty) return events;
        bool Withdrawn(EventAccepted e) => e.UserId is not null && denied.ContainsKey(Consent.IdFor(e.TenantId, e.UserId));
        return events.Any(Withdrawn)
            ? events.Select(e => Withdrawn(e) ? e with { Flags = e.Flags | EventFlags.NoConsent } : e).ToList()
            : events;
    }

    private async Task RefreshIfDueAsync(CancellationToken cancellationToken)
    {
        if (_loaded && clock.GetUtcNow() - _refreshedAt < RefreshEvery) return;
        // Once loaded, a request never queues behind a refresh: it uses what is known while one caller refreshes.
        if (!_loaded) await _refreshing.WaitAsync(cancellationToken);
        else if (!_refreshing.Wait(0)) return;
        try
        {
            var now = clock.GetUtcNow();
            if (_loaded && now - _refreshedAt < RefreshEvery) return;
            await using var session = store.QuerySession();
            if (now - _reloadedAt >= ReloadEvery)
            {
                var denied = await session.Query<Consent>().Where(c => !c.Personalization).Select(c => c.Id).ToListAsync(cancellationToken);
                _denied = new ConcurrentDictionary<string, byte>(denied.Select(id => KeyValuePair.Create(id, (byte)0)), StringComparer.Ordinal);
                _reloadedAt = now;
            }
            else
            {
                var since = _changesSince;
                foreach (var consent in await session.Query<Consent>().Where(c => c.UpdatedAt > since).ToListAsync(cancellationToken))
                    Record(consent);
            }
            _changesSince = now - Overlap;
            _refreshedAt = now;
            _loaded = true;
        }
        finally
        {
            _refreshing.Release();
        }
    }
}
