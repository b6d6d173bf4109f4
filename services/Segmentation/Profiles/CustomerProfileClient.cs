using Dapr.Actors.Client;
using Personalization.Contracts.V1;
using Personalization.Segmentation.Segments.Preview;

namespace Personalization.Segmentation.Profiles;

/// <summary>
/// Calls a person's actor without remoting: a JSON body per call, serialized with the proxy factory's one set of
/// options. A remoting proxy builds its own message serializers, and with them new JSON serializer options and type
/// metadata, for every proxy, which cost more than the call itself at thousands of calls a second.
/// </summary>
public sealed class CustomerProfileClient(ActorProxy proxy) : ICustomerProfileActor
{
    public Task<ApplyOutcome> ApplyAsync(IReadOnlyList<EventRecorded> messages) =>
        proxy.InvokeMethodAsync<IReadOnlyList<EventRecorded>, ApplyOutcome>(nameof(ApplyAsync), messages);

    public Task FollowAsync(string personStreamKey) => proxy.InvokeMethodAsync(nameof(FollowAsync), personStreamKey);

    public Task CatchUpMergedAsync(string anonymousStreamKey) => proxy.InvokeMethodAsync(nameof(CatchUpMergedAsync), anonymousStreamKey);

    public Task<Contracts.Profiles.CustomerProfile?> GetAsync() => proxy.InvokeMethodAsync<Contracts.Profiles.CustomerProfile?>(nameof(GetAsync));

    public Task CatchUpSegmentsAsync() => proxy.InvokeMethodAsync(nameof(CatchUpSegmentsAsync));

    public Task<bool> PreviewSegmentAsync(SegmentDraft draft) => proxy.InvokeMethodAsync<SegmentDraft, bool>(nameof(PreviewSegmentAsync), draft);

    public Task ResetAsync() => proxy.InvokeMethodAsync(nameof(ResetAsync));

    public Task EraseAsync(DateTimeOffset erasedAt) => proxy.InvokeMethodAsync(nameof(EraseAsync), erasedAt);
}
