using System.Collections.Concurrent;

namespace Personalization.Triggers.Definitions;

/// <summary>
/// What a tenant's definitions come to (its live journeys, its contact policy, one of its templates), read at most
/// once per <see cref="Ttl"/> per key (the tenant, or tenant and id), so a busy consumer does not query for every
/// event; a change shows within that time. A failed read is not kept.
/// </summary>
public sealed class TenantCache<T>(Func<string, CancellationToken, Task<T>> load, TimeProvider clock)
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, (DateTimeOffset At, Task<T> Value)> _entries = new(StringComparer.Ordinal);

    /// <summary>Drops what is known of the tenant, so the next read loads it (after a change made through this replica).</summary>
    public void Forget(string tenantId) => _entries.TryRemove(tenantId, out _);

    public async Task<T> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(tenantId, out var entry) && now - entry.At < Ttl && !entry.Value.IsFaulted)
            return await entry.Value;
        // Not the caller's token: callers waiting on the same read must not fail because the first one gave up.
        var loading = load(tenantId, CancellationToken.None);
        _entries[tenantId] = (now, loading);
        try
        {
            return await loading.WaitAsync(cancellationToken);
        }
        catch when (loading.IsFaulted)
        {
            _entries.TryRemove(KeyValuePair.Create(tenantId, (now, loading)));
            throw;
        }
    }
}
