using Dapr.Actors;
using Dapr.Actors.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Personalization.Contracts;
using Personalization.Contracts.Profiles;

namespace Personalization.ServiceDefaults;

/// <summary>What the person's profile said, or that it could not be asked in time (the caller then does without).</summary>
public sealed record ProfileRead(CustomerProfile? Profile, bool Reached);

/// <summary>
/// The person's profile from their CustomerProfile actor, through the Dapr sidecar, as a non-remoting call (JSON):
/// other services share the profile's shape with Segmentation, not its actor interface. Bounded by the caller's
/// timeout, so a slow or absent Segmentation costs what the profile would add, not the request.
/// </summary>
public sealed class ProfileReader(IConfiguration configuration, ILogger<ProfileReader> logger)
{
    private const long WarningInterval = 10_000;
    private readonly ActorProxyFactory _proxies = new(ActorHosting.ProxyOptions(configuration));
    private long _failures;
    private long _lastWarning = Environment.TickCount64 - WarningInterval;

    public async Task<ProfileRead> ReadAsync(string tenantId, string userId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var proxy = _proxies.Create(new ActorId(ProfileActors.IdFor(StreamKey.ForUser(tenantId, userId))), ProfileActors.TypeName);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            return new ProfileRead(await proxy.InvokeMethodAsync<CustomerProfile?>(ProfileActors.GetMethod, bounded.Token), true);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // At most one warning per interval: with Segmentation away, every request would log otherwise.
            var failures = Interlocked.Increment(ref _failures);
            var now = Environment.TickCount64;
            var last = Interlocked.Read(ref _lastWarning);
            if (now - last >= WarningInterval && Interlocked.CompareExchange(ref _lastWarning, now, last) == last)
            {
                Interlocked.Exchange(ref _failures, 0);
                logger.LogWarning(ex, "{Failures} profile reads failed since the last warning (latest: tenant {Tenant}); doing without",
                    failures, tenantId);
            }
            return new ProfileRead(null, false);
        }
    }
}
