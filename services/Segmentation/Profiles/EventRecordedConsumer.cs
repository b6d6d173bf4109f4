using MassTransit;
using Personalization.Contracts.V1;

namespace Personalization.Segmentation.Profiles;

public sealed class EventRecordedConsumer(CustomerProfiles profiles) : IConsumer<EventRecorded>
{
    public Task Consume(ConsumeContext<EventRecorded> context) => profiles.For(context.Message.StreamKey).ApplyAsync(context.Message);
}
