using MassTransit;
using Personalization.Contracts.V1;

namespace Personalization.Triggers.Privacy;

/// <summary>An erased user's journeys and messages go too (its queue is Triggers' own, named after the class).</summary>
public sealed class TriggersErasureConsumer(PersonErasure erasure) : IConsumer<ProfileErasureRequested>
{
    public async Task Consume(ConsumeContext<ProfileErasureRequested> context)
    {
        foreach (var stream in context.Message.StreamKeys)
            if (PersonErasure.UserOf(stream) is { } userId)
                await erasure.EraseAsync(context.Message.TenantId, userId, context.CancellationToken);
    }
}
