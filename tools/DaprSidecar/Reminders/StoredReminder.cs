using Personalization.DaprSidecar.Actors;

namespace Personalization.DaprSidecar.Reminders;

/// <summary>A reminder as kept in PostgreSQL. <see cref="Registration"/> changes on every PUT, so a fire of an older registration can tell.</summary>
public sealed record StoredReminder(
    ActorKey Actor, string Name, Guid Registration, string? DataJson, string DueTime, string Period, string Ttl,
    DateTimeOffset NextFireAt, DateTimeOffset? ExpiresAt, int RepetitionsLeft)
{
    public (ActorKey, string) Key => (Actor, Name);
}
