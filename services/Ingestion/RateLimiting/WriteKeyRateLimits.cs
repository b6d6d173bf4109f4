using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Personalization.Ingestion.Auth;

namespace Personalization.Ingestion.RateLimiting;

public sealed class RateLimitOptions
{
    public const string Section = "Ingestion:RateLimit";

    /// <summary>Requests each write key may make per second, sustained (a batch counts as one request).</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerSecond { get; set; } = 500;

    /// <summary>Requests a key may make at once after a quiet spell (the bucket's size).</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 1_000;
}

/// <summary>
/// A token bucket per write key. Over the limit, 429 with Retry-After: Segment and Rudder SDKs retry those, so a
/// noisy source slows down instead of losing events or starving the others.
/// </summary>
public static class WriteKeyRateLimits
{
    public const string Policy = "write-key";

    public static IHostApplicationBuilder AddWriteKeyRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Policy, context =>
            {
                var limits = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                var key = $"{context.User.FindFirstValue(WriteKeyAuthentication.TenantClaim)}/{context.User.FindFirstValue(WriteKeyAuthentication.KeyClaim)}";
                return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.Burst,
                    TokensPerPeriod = limits.RequestsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var http = rejected.HttpContext;
                var limits = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Rate limit exceeded; nothing was stored.",
                        Detail = $"This write key may send {limits.RequestsPerSecond} requests a second. Retry after {retryAfter} s.",
                    },
                });
            };
        });
        return builder;
    }
}
