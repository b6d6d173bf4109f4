using System.Collections.Concurrent;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Personalization.Triggers.Templates;

namespace Personalization.Triggers.Delivery;

/// <summary>
/// Polly per provider (the SMTP server; each webhook host; the push services): each attempt is timed out, a
/// failure is retried twice with jittered backoff, and a provider that keeps failing opens its circuit so messages
/// go back to the outbox at once instead of each waiting out its timeouts. The outbox's own backoff then brings them
/// back until the provider recovers. One failing webhook endpoint opens only its own circuit.
/// </summary>
public sealed class ProviderPipelines
{
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, ResiliencePipeline> _pipelines = new(StringComparer.Ordinal);

    /// <param name="host">A webhook's host; null for the SMTP server and the push services.</param>
    public ResiliencePipeline For(Channel channel, string? host) => _pipelines.GetOrAdd($"{channel}/{host}", _ => Build());

    private static ResiliencePipeline Build() => new ResiliencePipelineBuilder()
        .AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = 0.5,
            MinimumThroughput = 5,
            SamplingDuration = TimeSpan.FromSeconds(30),
            BreakDuration = TimeSpan.FromSeconds(15),
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not PermanentFailure),
        })
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = 2,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(500),
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not PermanentFailure and not OperationCanceledException),
        })
        .AddTimeout(AttemptTimeout)
        .Build();
}

/// <summary>A provider's refusal that no retry will change (a webhook's 400, a push subscription that is gone): the message is skipped with it.</summary>
public class PermanentFailure(string reason) : Exception(reason);
