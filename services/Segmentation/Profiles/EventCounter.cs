using Marten;
using Personalization.Contracts;
using Personalization.Contracts.V1;

namespace Personalization.Segmentation.Profiles;

/// <summary>
/// Applies one event to its person's profile exactly once: the inbox entry and the profile change commit together,
/// and optimistic concurrency turns a race between two messages for one person into a retry.
/// </summary>
public sealed class EventCounter(IDocumentSession session, TimeProvider clock)
{
    public async Task ApplyAsync(EventRecorded message, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<ProcessedMessage>(message.EventId, cancellationToken) is not null)
            return;

        var key = StreamKey.For(message.TenantId, message.UserId, message.AnonymousId);
        var profile = await session.LoadAsync<EventCountProfile>(key.ToString(), cancellationToken);
        var isNew = profile is null;
        profile ??= new EventCountProfile { Id = key.ToString(), TenantId = key.TenantId, UserKey = key.UserKey };

        profile.EventCount++;
        if (profile.LastEventAt is null || message.Timestamp > profile.LastEventAt)
            profile.LastEventAt = message.Timestamp;
        profile.UpdatedAt = clock.GetUtcNow();

        // A first profile is inserted, so two concurrent first events cannot overwrite each other.
        if (isNew) session.Insert(profile);
        else session.Store(profile);
        // Insert, not Store: a concurrent duplicate fails on the primary key and its retry then sees the entry.
        session.Insert(new ProcessedMessage(message.EventId, clock.GetUtcNow()));
        await session.SaveChangesAsync(cancellationToken);
    }
}
