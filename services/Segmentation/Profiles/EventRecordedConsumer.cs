using MassTransit;
using Personalization.Contracts.V1;

namespace Personalization.Segmentation.Profiles;

public sealed class EventRecordedConsumer(ProfileFeeder feeder) : IConsumer<EventRecorded>
{
    public Task Consume(ConsumeContext<EventRecorded> context) => feeder.FeedAsync(context.Message, context.CancellationToken);
}
