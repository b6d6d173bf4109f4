using MassTransit;
using Personalization.Contracts.V1;

namespace Personalization.Segmentation.Profiles;

public sealed class EventRecordedConsumer(CustomerProfiles profiles, StreamGapFiller gaps) : IConsumer<EventRecorded>
{
    public async Task Consume(ConsumeContext<EventRecorded> context)
    {
        var actor = profiles.For(context.Message.StreamKey);
        var outcome = await actor.ApplyAsync(context.Message);
        await gaps.FillAsync(actor, context.Message.StreamKey, outcome, context.CancellationToken);
    }
}
