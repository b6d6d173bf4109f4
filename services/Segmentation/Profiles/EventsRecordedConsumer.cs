using MassTransit;
using Microsoft.Extensions.Options;
using Personalization.Contracts.V1;

namespace Personalization.Segmentation.Profiles;

/// <summary>How many of the relay's messages Segmentation handles at once, and how many actor calls it makes at once.</summary>
public sealed class ProfileFeedOptions
{
    public const string Section = "Profiles:Feed";

    /// <summary>
    /// Messages handled at once (Messaging:PrefetchCount, 128, bounds it). Many, since a message waiting on its people's calls
    /// costs little, and the more wait, the more events of each person go in one call.
    /// </summary>
    public int MessagesAtOnce { get; set; } = 128;

    /// <summary>
    /// Actor calls in flight, over all messages. Few enough that events gather while calls wait: 16 with 128 messages
    /// gave about 19 events per call and 5,100-6,300 updates/s where 64 with 32 gave 6.5 and 2,700-4,000
    /// (bench/ProfileUpdates, 1,000 people, 2 cores).
    /// </summary>
    public int CallsAtOnce { get; set; } = 16;

    public bool IsValid => MessagesAtOnce >= 1 && CallsAtOnce >= 1;
}

/// <summary>The relay's events, handed to the feed queue, which gathers each person's events into one actor call.</summary>
public sealed class EventsRecordedConsumer(ProfileFeedQueue queue) : IConsumer<EventsRecorded>
{
    public Task Consume(ConsumeContext<EventsRecorded> context) => queue.FeedAsync(context.Message, context.CancellationToken);
}

public sealed class EventsRecordedConsumerDefinition : ConsumerDefinition<EventsRecordedConsumer>
{
    public EventsRecordedConsumerDefinition(IOptions<ProfileFeedOptions> options) => ConcurrentMessageLimit = options.Value.MessagesAtOnce;
}
