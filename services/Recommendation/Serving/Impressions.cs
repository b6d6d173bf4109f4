using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Personalization.Recommendation.Serving;

/// <summary>
/// What this replica recently showed each person, so the next answer rotates: an item shown n times within
/// <see cref="ServingSettings.ImpressionWindow"/> has its score multiplied by <see cref="ServingSettings.ImpressionDamping"/>ⁿ.
/// Kept in memory, per replica, for the window (sliding); a person's calls that reach another replica rotate there on their own.
/// </summary>
public sealed class Impressions(IOptions<ServingSettings> settings, TimeProvider clock) : IDisposable
{
    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = settings.Value.ImpressionPeople });

    public void Dispose() => cache.Dispose();

    private sealed class Shown : ConcurrentDictionary<string, (int Times, DateTimeOffset Last)>;

    private static string Key(string tenantId, string userId) => $"impressions\n{tenantId}\n{userId}";

    /// <summary>The factor for each item shown within the window (items not listed: 1).</summary>
    public IReadOnlyDictionary<string, double> DampingFor(string tenantId, string userId)
    {
        var window = settings.Value.ImpressionWindow;
        if (window <= TimeSpan.Zero || !cache.TryGetValue(Key(tenantId, userId), out Shown? shown) || shown is null) return Empty;
        var since = clock.GetUtcNow() - window;
        return shown.Where(s => s.Value.Last >= since)
            .ToDictionary(s => s.Key, s => Math.Pow(settings.Value.ImpressionDamping, s.Value.Times), StringComparer.Ordinal);
    }

    public void Record(string tenantId, string userId, IEnumerable<string> itemIds)
    {
        var window = settings.Value.ImpressionWindow;
        if (window <= TimeSpan.Zero) return;
        var shown = cache.GetOrCreate(Key(tenantId, userId), entry =>
        {
            entry.SlidingExpiration = window;
            entry.Size = 1;
            return new Shown();
        })!;
        var now = clock.GetUtcNow();
        foreach (var id in itemIds)
            shown.AddOrUpdate(id, (1, now), (_, was) => (was.Last >= now - window ? was.Times + 1 : 1, now));
    }

    private static readonly IReadOnlyDictionary<string, double> Empty = new Dictionary<string, double>();
}
