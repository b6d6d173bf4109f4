using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Personalization.Recommendation.Candidates;

namespace Personalization.Recommendation.Serving;

/// <summary>One item the served model proposes for a subject, with its score and the generators that proposed it.</summary>
public sealed record Candidate(int Item, float Score, IReadOnlyList<string> ProposedBy);

/// <summary>
/// The candidates the served model proposed for a subject, kept for <see cref="ServingSettings.CandidateLifetime"/>:
/// the generators and the ranker are most of a request's cost, and people ask again (another page, a refresh) and
/// product pages are asked for over and over. The key is everything the candidates depend on (tenant, model version,
/// pool size, the person's items and weights as of this request, context, declared interests), so a new view, a
/// new item in the cart or an activation misses; rules, exclusions, rotation and diversity apply after, per request.
/// </summary>
public sealed class CandidateCache(IOptions<ServingSettings> settings) : IDisposable
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = Math.Max(1, settings.Value.CandidateCacheSize) });

    public void Dispose() => _cache.Dispose();

    public IReadOnlyList<Candidate> GetOrAdd(string tenantId, int version, Subject subject, int pool, Func<IReadOnlyList<Candidate>> propose)
    {
        var lifetime = settings.Value.CandidateLifetime;
        if (lifetime <= TimeSpan.Zero) return propose();
        var key = new Key(tenantId, version, pool, subject);
        if (_cache.TryGetValue(key, out IReadOnlyList<Candidate>? kept) && kept is not null) return kept;
        var proposed = propose();
        _cache.Set(key, proposed, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = lifetime, Size = Math.Max(1, proposed.Count) });
        return proposed;
    }

    private sealed class Key : IEquatable<Key>
    {
        private readonly string _tenantId;
        private readonly int _version, _pool, _hash;
        private readonly Person _person;
        private readonly int[] _interests;

        public Key(string tenantId, int version, int pool, Subject subject)
        {
            (_tenantId, _version, _pool, _person) = (tenantId, version, pool, subject.Person);
            _interests = [.. subject.Interests.Select(i => i.Item)];
            var hash = new HashCode();
            hash.Add(tenantId);
            hash.Add(version);
            hash.Add(pool);
            hash.Add(_person.Row);
            hash.Add(_person.Context);
            foreach (var item in _person.Items) hash.Add(item);
            foreach (var value in _person.Values) hash.Add(value);
            foreach (var item in _interests) hash.Add(item);
            _hash = hash.ToHashCode();
        }

        public bool Equals(Key? other) =>
            other is not null && _hash == other._hash && _tenantId == other._tenantId && _version == other._version && _pool == other._pool
            && _person.Row == other._person.Row && _person.AsTrained == other._person.AsTrained && _person.Context == other._person.Context
            && _person.Items.AsSpan().SequenceEqual(other._person.Items) && _person.Values.AsSpan().SequenceEqual(other._person.Values)
            && _interests.AsSpan().SequenceEqual(other._interests);

        public override bool Equals(object? obj) => Equals(obj as Key);

        public override int GetHashCode() => _hash;
    }
}
