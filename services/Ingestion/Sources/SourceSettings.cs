using Marten;
using Microsoft.Extensions.Caching.Memory;

namespace Personalization.Ingestion.Sources;

/// <summary>
/// How a source wants its batches taken, read on the ingest path through a short cache: a change reaches every
/// replica within <see cref="CacheFor"/>. Sources of configured (static) write keys have no record and take batches in part.
/// </summary>
public sealed class SourceSettings(IDocumentStore store, IMemoryCache cache)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    public async ValueTask<bool> IsStrictAsync(string tenantId, string sourceId, CancellationToken cancellationToken)
    {
        var id = Source.IdFor(tenantId, sourceId);
        if (cache.TryGetValue("source:" + id, out bool strict)) return strict;
        await using var session = store.QuerySession();
        strict = (await session.LoadAsync<Source>(id, cancellationToken))?.StrictBatches ?? false;
        cache.Set("source:" + id, strict, CacheFor);
        return strict;
    }

    public void Forget(string tenantId, string sourceId) => cache.Remove("source:" + Source.IdFor(tenantId, sourceId));
}
