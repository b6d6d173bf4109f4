namespace Personalization.Segmentation.Profiles;

/// <summary>v0 per-user state: how many events a person has, and when the last one happened. Id is the stream key.</summary>
public sealed class EventCountProfile
{
    public string Id { get; set; } = "";
    public string TenantId { get; set; } = "";
    public string UserKey { get; set; } = "";
    public long EventCount { get; set; }
    public DateTimeOffset? LastEventAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
