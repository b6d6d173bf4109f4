using Personalization.Contracts;
using Personalization.Contracts.V1;

namespace Personalization.Segmentation.Profiles;

/// <summary>Which anonymous stream an identify or alias in a known user's stream ties to that person, if any.</summary>
public static class AnonymousHistory
{
    public static string? LinkedBy(EventRecorded e) =>
        IdentityLink.AnonymousIdLinkedBy(e.Type, e.UserId, e.AnonymousId, e.Payload) is { } anonymousId
        && StreamKey.For(e.TenantId, null, anonymousId).ToString() is var linked
        && linked != e.StreamKey
            ? linked
            : null;
}
