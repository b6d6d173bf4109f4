using MassTransit;
using Personalization.Contracts.V1;

namespace Personalization.Recommendation.Attribution;

/// <summary>The relay's events, for attribution: views, clicks and orders are kept, everything else passes.</summary>
public sealed class AttributionEventConsumer(AttributionStore store) : IConsumer<EventRecorded>
{
    public async Task Consume(ConsumeContext<EventRecorded> context)
    {
        var facts = AttributionFacts.Of(context.Message);
        if (!facts.IsEmpty) await store.AddAsync([facts], context.CancellationToken);
    }
}

/// <summary>An erased person's impressions, clicks and orders go with their streams.</summary>
public sealed class AttributionErasureConsumer(AttributionStore store) : IConsumer<ProfileErasureRequested>
{
    public Task Consume(ConsumeContext<ProfileErasureRequested> context) =>
        store.DeleteAsync(context.Message.TenantId, context.Message.StreamKeys, context.CancellationToken);
}
