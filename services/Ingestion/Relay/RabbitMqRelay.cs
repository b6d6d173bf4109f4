using System.Runtime.ExceptionServices;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using MassTransit;
using Microsoft.Extensions.Options;
using Personalization.Contracts.EventLog;
using Personalization.Contracts.V1;
using Polly;
using Polly.Retry;

namespace Personalization.Ingestion.Relay;

/// <summary>
/// A Marten subscription, run by the async daemon in the relay process, that publishes stored events to RabbitMQ
/// a page at a time. A page goes out as a few <see cref="EventsRecorded"/> messages (one per event capped the relay
/// near 10k events/s), sent without waiting for each broker confirm in turn; the daemon advances its checkpoint only
/// once every confirm of the page is in, so delivery is at least once and resumes after a restart. Consumers
/// deduplicate on the event id, and profiles apply a stream's events by version, so confirms arriving out of order
/// harm nothing.
/// </summary>
/// <remarks>
/// A page that fails or outlives <see cref="RelayOptions.PublishTimeout"/> is published again, whole and in order, from
/// its checkpoint until the broker takes it: a publish whose channel went away with the connection may never complete,
/// so no single publish is trusted to end by itself.
/// </remarks>
public sealed class RabbitMqRelay : SubscriptionBase
{
    public const string SubscriptionName = "rabbitmq-relay";

    /// <summary>The subscription's row in Marten's progression table.</summary>
    public const string ProgressionName = SubscriptionName + ":All";

    private readonly IBus _publisher;
    private readonly RelayOptions _options;
    private readonly RelayOutage _outage;
    private readonly ResiliencePipeline _untilPublished;

    public RabbitMqRelay(IBus publisher, IOptions<RelayOptions> options, RelayOutage outage)
    {
        _publisher = publisher;
        _options = options.Value;
        _outage = outage;
        Name = SubscriptionName;
        Options.BatchSize = _options.PageSize;
        // A failed page is tried again until the broker takes it, never skipped: the checkpoint waits for it.
        _untilPublished = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(100),
                MaxDelay = _options.MaxRetryDelay,
                // Every failure, a cancelled page included; the relay's own stop ends the retries all the same.
                ShouldHandle = new PredicateBuilder().Handle<Exception>(),
                OnRetry = args =>
                {
                    _outage.Failed(args.Context.Properties.GetValue(PageFloor, 0L), args.AttemptNumber + 1, args.Outcome.Exception!);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    private static readonly ResiliencePropertyKey<long> PageFloor = new("relay.page-floor");

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        var messages = RelayMessages.Pack(page.Events
            .Where(stored => stored.Data is EventAccepted)
            .Select(stored => ((EventAccepted)stored.Data).ToMessage(stored.Id, stored.Sequence, stored.Version))
            .ToList(), _options.EventsPerMessage).ToList();
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(PageFloor, page.SequenceFloor);
        try
        {
            await _untilPublished.ExecuteAsync(async (ctx, list) =>
            {
                // While an outage lasts, one message goes first: with the broker away, hundreds of waiting publishes
                // would each make MassTransit try to connect.
                var probe = _outage.Lasts ? Math.Min(1, list.Count) : 0;
                if (probe > 0) await PublishAsync(page.SequenceFloor, list[..probe], ctx.CancellationToken);
                await PublishAsync(page.SequenceFloor, list[probe..], ctx.CancellationToken);
            }, context, messages);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
        _outage.Ended();
        return NullChangeListener.Instance;
    }

    private async Task PublishAsync(long floor, List<EventsRecorded> messages, CancellationToken cancellationToken)
    {
        var cancelPage = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var confirms = Task.WhenAll(messages.Select(message => PublishOneAsync(message, cancelPage)));
        try
        {
            // WaitAsync, not the token alone: a publish stuck on a dead channel does not always observe it.
            var tellAfter = _options.StallAfter < _options.PublishTimeout ? _options.StallAfter : _options.PublishTimeout;
            try
            {
                await confirms.WaitAsync(tellAfter, cancellationToken);
            }
            catch (TimeoutException) when (tellAfter < _options.PublishTimeout)
            {
                _outage.Unconfirmed(floor, tellAfter);
                await confirms.WaitAsync(_options.PublishTimeout - tellAfter, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested
            && confirms.Exception?.InnerExceptions.FirstOrDefault(e => e is not OperationCanceledException) is { } cause)
        {
            // The page was cancelled because one publish failed: that failure is the reason.
            ExceptionDispatchInfo.Throw(cause);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"RabbitMQ did not confirm {messages.Count} publishes within {_options.PublishTimeout.TotalSeconds:0.#} s.");
        }
        finally
        {
            if (confirms.IsCompleted)
                cancelPage.Dispose();
            else
            {
                await cancelPage.CancelAsync();
                // The abandoned publishes may still end later; their failures are observed, not left unobserved.
                _ = confirms.ContinueWith(task =>
                {
                    cancelPage.Dispose();
                    return task.Exception;
                }, TaskScheduler.Default);
            }
        }
    }

    private async Task PublishOneAsync(EventsRecorded message, CancellationTokenSource page)
    {
        try
        {
            using var span = RelayTracing.StartPublish(message);
            // The same page packs the same way, so a page published again carries the same message ids.
            await _publisher.Publish(message, context => context.MessageId = message.Events[0].EventId, page.Token);
        }
        catch
        {
            // One failure fails the page: the rest stop waiting instead of each retrying the connection.
            await page.CancelAsync();
            throw;
        }
    }
}
