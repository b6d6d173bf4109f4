using MassTransit;
using Microsoft.Extensions.Options;
using Personalization.Contracts.V1;

namespace Personalization.Segmentation.Profiles;

/// <summary>How many of the relay's messages, and people within each, are fed to actors at once.</summary>
public sealed class ProfileFeedOptions
{
    public const string Section = "Profiles:Feed";

    /// <summary>
    /// Messages handled at once. Few, since one person's events in two messages handled side by side can meet their
    /// actor out of order, and each time that costs a read of the event log and a second actor call.
    /// </summary>
    public int MessagesAtOnce { get; set; } = 4;

    /// <summary>People of one message fed at once; times <see cref="MessagesAtOnce"/>, the actor calls in flight.</summary>
    public int StreamsAtOnce { get; set; } = 32;
}

/// <summary>The relay's events: one actor call per person per message, several people at once.</summary>
public sealed class EventsRecordedConsumer(ProfileFeeder feeder, IOptions<ProfileFeedOptions> options) : IConsumer<EventsRecorded>
{
    public Task Consume(ConsumeContext<EventsRecorded> context) =>
        context.Message.ForEachStreamAsync(options.Value.StreamsAtOnce, feeder.FeedAsync, context.CancellationToken);
}

public sealed class EventsRecordedConsumerDefinition : ConsumerDefinition<EventsRecordedConsumer>
{
    public EventsRecordedConsumerDefinition(IOptions<ProfileFeedOptions> options) => ConcurrentMessageLimit = options.Value.MessagesAtOnce;
}
