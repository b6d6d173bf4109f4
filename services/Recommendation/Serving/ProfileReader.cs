using Dapr.Actors;
using Dapr.Actors.Client;
using Microsoft.Extensions.Options;
using Personalization.Contracts;
using Personalization.Contracts.Profiles;
using Personalization.ServiceDefaults;

namespace Personalization.Recommendation.Serving;

/// <summary>What the person's profile said, or that it could not be asked in time (the answer then comes from the model alone).</summary>
public sealed record ProfileRead(CustomerProfile? Profile, bool Reached);

/// <summary>
/// The person's profile from their CustomerProfile actor, through the Dapr sidecar, as a non-remoting call (JSON):
/// Recommendation shares the profile's shape with Segmentation, not its actor interface. Bounded by
/// <see cref="ServingSettings.ProfileTimeout"/>, so a slow or absent Segmentation costs recency, not the request.
/// </summary>
public sealed class ProfileReader(IConfiguration configuration, IOptions<ServingSettings> settings, ILogger<ProfileReader> logger)
{
    private const long WarningInterval = 10_000;
    private readonly ActorProxyFactory _proxies = new(ActorHosting.ProxyOptions(configuration));
    private long _failures;
    private long _lastWarning = Environment.TickCount64 - WarningInterval;

    public async Task<ProfileRead> ReadAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        var proxy = _proxies.Create(new ActorId(ProfileActors.IdFor(StreamKey.ForUser(tenantId, userId))), ProfileActors.TypeName);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Value.ProfileTimeout);
        try
        {
            return new ProfileRead(await proxy.InvokeMethodAsync<CustomerProfile?>(ProfileActors.GetMethod, timeout.Token), true);
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
                logger.LogWarning(ex, "{Failures} profile reads failed since the last warning (latest: tenant {Tenant}); answering from the model alone",
                    failures, tenantId);
            }
            return new ProfileRead(null, false);
        }
    }
}
