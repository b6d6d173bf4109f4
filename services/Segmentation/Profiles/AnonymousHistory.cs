using Personalization.Contracts;
using Personalization.Contracts.V1;

namespace Personalization.Segmentation.Profiles;

/// <summary>An anonymous id, and its stream, that an identify or alias in a known user's stream ties to that person.</summary>
public readonly record struct AnonymousHistory(string AnonymousId, string StreamKey)
{
    public static AnonymousHistory? LinkedBy(EventRecorded e) =>
        IdentityLink.AnonymousIdLinkedBy(e.Type, e.UserId, e.AnonymousId, e.Payload) is { } anonymousId
        && Contracts.StreamKey.For(e.TenantId, null, anonymousId).ToString() is var linked
        && linked != e.StreamKey
            ? new AnonymousHistory(anonymousId, linked)
            : null;
}
