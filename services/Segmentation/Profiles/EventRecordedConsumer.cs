using MassTransit;
using Personalization.Contracts.V1;

namespace Personalization.Segmentation.Profiles;

public sealed class EventRecordedConsumer(EventCounter counter) : IConsumer<EventRecorded>
{
    public Task Consume(ConsumeContext<EventRecorded> context) => counter.ApplyAsync(context.Message, context.CancellationToken);
}
