using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using MassTransit;
using Polly;
using Polly.Retry;
using Personalization.Contracts.EventLog;

namespace Personalization.Ingestion.Relay;

/// <summary>
/// A Marten subscription, run by the async daemon in the relay process, that publishes stored events to RabbitMQ
/// a page at a time. A page's events are sent in log order without waiting for each broker confirm in turn (that
/// capped the relay near 1.3k events/s); the daemon advances its checkpoint only once every confirm of the page is
/// in, so delivery is at least once and resumes after a restart. Consumers deduplicate on the event id, which is
/// also the message id, and profiles apply a stream's events by version, so confirms arriving out of order harm nothing.
/// </summary>
public sealed class RabbitMqRelay : SubscriptionBase
{
    public const string SubscriptionName = "rabbitmq-relay";

    private readonly IBus _publisher;
    private readonly ResiliencePipeline _retry;

    public RabbitMqRelay(IBus publisher, ILogger<RabbitMqRelay> logger)
    {
        _publisher = publisher;
        Name = SubscriptionName;
        Options.BatchSize = 500;
        // While RabbitMQ is unreachable, keep retrying the same event rather than letting the daemon skip ahead.
        _retry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(100),
                MaxDelay = TimeSpan.FromSeconds(10),
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException),
                OnRetry = args =>
                {
                    logger.LogWarning(args.Outcome.Exception, "Relay publish failed (attempt {Attempt}); retrying", args.AttemptNumber + 1);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        var publishes = new List<Task>(page.Events.Count);
        foreach (var stored in page.Events)
        {
            if (stored.Data is not EventAccepted accepted) continue;
            var message = accepted.ToMessage(stored.Id, stored.Sequence, stored.Version);
            publishes.Add(_retry.ExecuteAsync(
                async ct => await _publisher.Publish(message, context => context.MessageId = stored.Id, ct),
                cancellationToken).AsTask());
        }
        await Task.WhenAll(publishes);
        return NullChangeListener.Instance;
    }
}
