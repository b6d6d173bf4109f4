using MassTransit;
using Personalization.Contracts.V1;

namespace Personalization.Segmentation.Profiles;

/// <summary>The relay's events: one actor call per person per message, several people at once.</summary>
public sealed class EventsRecordedConsumer(ProfileFeeder feeder) : IConsumer<EventsRecorded>
{
    /// <summary>People of one message fed at once; times the messages handled at once, the actor calls in flight.</summary>
    public const int StreamsAtOnce = 8;

    public Task Consume(ConsumeContext<EventsRecorded> context) =>
        context.Message.ForEachStreamAsync(StreamsAtOnce, feeder.FeedAsync, context.CancellationToken);
}

/// <summary>Bounds the messages handled at once, since each fans out to <see cref="EventsRecordedConsumer.StreamsAtOnce"/> actor calls.</summary>
public sealed class EventsRecordedConsumerDefinition : ConsumerDefinition<EventsRecordedConsumer>
{
    public const int MessagesAtOnce = 16;

    public EventsRecordedConsumerDefinition() => ConcurrentMessageLimit = MessagesAtOnce;
}
