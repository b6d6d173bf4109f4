using System.Collections.Concurrent;
using Personalization.Segmentation.Segments.Evaluation;
using Personalization.Segmentation.Segments.Store;

namespace Personalization.Segmentation.Segments;

/// <summary>
/// Each tenant's live rule segments as the actors evaluate them, read from PostgreSQL at most every
/// <see cref="CacheFor"/> per replica (one read at a time per tenant), so a saved version runs live within seconds.
/// </summary>
public sealed class TenantSegments(SegmentStore store, TimeProvider clock)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);

    private sealed record Entry(Task<SegmentSet> Set, DateTimeOffset ReadAt);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async Task<SegmentSet> ForAsync(string tenantId)
    {
        var now = clock.GetUtcNow();
        var entry = _entries.GetOrAdd(tenantId, id => new Entry(ReadAsync(id), now));
        if (now - entry.ReadAt >= CacheFor || entry.Set.IsFaulted)
        {
            var fresh = new Entry(ReadAsync(tenantId), now);
            entry = _entries.TryUpdate(tenantId, fresh, entry) ? fresh : _entries[tenantId];
        }
        return await entry.Set;
    }

    /// <summary>Forgets the cached set, so this replica's next evaluation reads the tenant's definitions again.</summary>
    public void Forget(string tenantId) => _entries.TryRemove(tenantId, out _);

    private async Task<SegmentSet> ReadAsync(string tenantId) =>
        SegmentSet.Of(await store.LiveAsync(tenantId, CancellationToken.None));
}
