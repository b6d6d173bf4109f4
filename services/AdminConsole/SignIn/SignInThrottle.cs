using Microsoft.Extensions.Caching.Memory;

namespace Personalization.AdminConsole.SignIn;

/// <summary>
/// Slows guessing of the admin token: after <see cref="MaxFailures"/> wrong tokens from one address within a
/// minute, that address cannot sign in (not even with the right token) until the minute is over. Right tokens never count.
/// </summary>
public sealed class SignInThrottle(IMemoryCache cache, TimeProvider clock)
{
    public const int MaxFailures = 10;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private sealed class Failures(DateTimeOffset until)
    {
        public DateTimeOffset Until { get; } = until;
        public int Count;
    }

    /// <summary>When the address may try again, or null when it may now.</summary>
    public TimeSpan? RetryAfter(string address) =>
        cache.TryGetValue(Key(address), out Failures? failures) && failures!.Count >= MaxFailures && failures.Until > clock.GetUtcNow()
            ? failures.Until - clock.GetUtcNow()
            : null;

    public void Failed(string address)
    {
        var failures = cache.GetOrCreate(Key(address), entry =>
        {
            var until = clock.GetUtcNow() + Window;
            entry.AbsoluteExpiration = until;
            return new Failures(until);
        })!;
        Interlocked.Increment(ref failures.Count);
    }

    private static string Key(string address) => "sign-in-failures:" + address;
}
