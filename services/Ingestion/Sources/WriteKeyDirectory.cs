using Marten;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Personalization.Ingestion.Sources;

/// <summary>
/// Finds the owner of a write key: static keys from configuration first, then keys made with the admin API.
/// Answers, including "unknown", are cached briefly so a flood of requests costs no database reads; a revocation
/// therefore reaches every replica within <see cref="CacheFor"/>.
/// </summary>
public sealed class WriteKeyDirectory(IDocumentStore store, IOptions<WriteKeyOptions> options, IMemoryCache cache)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);
    public const string StaticSource = "default";

    public async ValueTask<WriteKeyOwner?> FindAsync(string secret, CancellationToken cancellationToken)
    {
        if (options.Value.WriteKeys.TryGetValue(secret, out var tenant))
            return new WriteKeyOwner(tenant, StaticSource, "static_" + WriteKey.Hash(secret)[..12]);

        var hash = WriteKey.Hash(secret);
        if (cache.TryGetValue(hash, out WriteKeyOwner? known))
            return known;

        await using var session = store.QuerySession();
        var record = await session.LoadAsync<WriteKey>(hash, cancellationToken);
        var owner = record is { RevokedAt: null } ? new WriteKeyOwner(record.TenantId, record.SourceId, record.KeyId) : null;
        cache.Set(hash, owner, CacheFor);
        return owner;
    }

    /// <summary>Drops a cached answer here at once (other replicas follow within <see cref="CacheFor"/>).</summary>
    public void Forget(string hash) => cache.Remove(hash);
}
