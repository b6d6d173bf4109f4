using MassTransit;
using Personalization.Contracts.V1;

namespace Personalization.Segmentation.Profiles;

/// <summary>
/// Forgets the erased user's profiles, their own and those of their linked anonymous ids, and makes their actors drop
/// any event from before the erasure that is still on its way.
/// </summary>
public sealed class ProfileErasureConsumer(CustomerProfiles profiles) : IConsumer<ProfileErasureRequested>
{
    public async Task Consume(ConsumeContext<ProfileErasureRequested> context)
    {
        foreach (var stream in context.Message.StreamKeys)
            await profiles.For(stream).EraseAsync(context.Message.RequestedAt);
    }
}
