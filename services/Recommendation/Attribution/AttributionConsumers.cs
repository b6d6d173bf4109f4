using MassTransit;
using Personalization.Contracts.V1;

namespace Personalization.Recommendation.Attribution;

/// <summary>The relay's events, for attribution: views, clicks and orders are kept, everything else passes.</summary>
public sealed class AttributionEventConsumer(AttributionStore store) : IConsumer<EventsRecorded>
{
    public async Task Consume(ConsumeContext<EventsRecorded> context)
    {
        var facts = context.Message.Events.Select(AttributionFacts.Of).Where(f => !f.IsEmpty).ToList();
        if (facts.Count > 0) await store.AddAsync(facts, context.CancellationToken);
    }
}

/// <summary>An erased person's impressions, clicks and orders go with their streams.</summary>
public sealed class AttributionErasureConsumer(AttributionStore store) : IConsumer<ProfileErasureRequested>
{
    public Task Consume(ConsumeContext<ProfileErasureRequested> context) =>
        store.DeleteAsync(context.Message.TenantId, context.Message.StreamKeys, context.CancellationToken);
}
