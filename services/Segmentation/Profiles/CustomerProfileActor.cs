using Personalization.Contracts.Profiles;
using Dapr.Actors.Runtime;
using Personalization.Contracts;
using Personalization.Contracts.V1;

namespace Personalization.Segmentation.Profiles;

/// <summary>
/// Holds a person's profile as actor state. Dapr gives each actor one turn at a time, and the runtime saves the
/// changed state keys in one transaction when a method returns, so the profile and its stream position move together.
/// Merging a linked anonymous history happens inside the turn of the linking call, so the person's later events are
/// always applied after it, live and in a rebuild alike.
/// </summary>
[Actor(TypeName = TypeName)]
public sealed class CustomerProfileActor(ActorHost host, EventLogReader eventLog, CustomerProfiles profiles) : Actor(host), ICustomerProfileActor, IRemindable
{
    public const string TypeName = ProfileActors.TypeName;

    /// <summary>How long an erased person's actor keeps the erasure time: far longer than a message stays in flight.</summary>
    public static readonly TimeSpan ErasureGrace = TimeSpan.FromHours(24);

    private const string ForgetErasureReminder = "forget-erasure";

    private const string ProfileKey = "profile";
    private const string PositionKey = "stream-position";

    public async Task<ApplyOutcome> ApplyAsync(EventRecorded message)
    {
        var position = await StateManager.GetOrAddStateAsync(PositionKey, new StreamPosition());
        var waitingBefore = position.Waiting.Count;
        var ready = position.Accept(message);
        if (ready.Count == 0 && position.Waiting.Count == waitingBefore)
            return Outcome(position);

        if (ready.Count > 0)
        {
            var profile = await StateManager.GetOrAddStateAsync(ProfileKey, new CustomerProfile());
            foreach (var next in ready)
            {
                CustomerProfileProjection.Apply(profile, next);
                if (AnonymousHistory.LinkedBy(next) is { } linked && !position.Merged.ContainsKey(linked.StreamKey)
                    && await OwnsAsync(next, linked.AnonymousId))
                {
                    // Marked before the read: an event stored there after it (by a node that had not seen the link
                    // yet) is passed on here instead of staying in the anonymous profile only.
                    await profiles.For(linked.StreamKey).FollowAsync(next.StreamKey);
                    position.Merged[linked.StreamKey] = await FoldAsync(profile, linked.StreamKey, afterVersion: 0);
                }
            }
            await StateManager.SetStateAsync(ProfileKey, profile);
        }
        await StateManager.SetStateAsync(PositionKey, position);
        return Outcome(position);
    }

    public async Task FollowAsync(string personStreamKey)
    {
        var position = await StateManager.GetOrAddStateAsync(PositionKey, new StreamPosition());
        if (position.MergedInto is not null) return;
        position.MergedInto = personStreamKey;
        await StateManager.SetStateAsync(PositionKey, position);
    }

    public async Task CatchUpMergedAsync(string anonymousStreamKey)
    {
        var position = await StateManager.TryGetStateAsync<StreamPosition>(PositionKey);
        // Not merged yet: the merge reads the whole stream when the linking call is applied.
        if (!position.HasValue || !position.Value.Merged.TryGetValue(anonymousStreamKey, out var folded))
            return;
        var profile = await StateManager.GetOrAddStateAsync(ProfileKey, new CustomerProfile());
        var last = await FoldAsync(profile, anonymousStreamKey, folded);
        if (last == folded) return;
        position.Value.Merged[anonymousStreamKey] = last;
        await StateManager.SetStateAsync(ProfileKey, profile);
        await StateManager.SetStateAsync(PositionKey, position.Value);
    }

    public async Task<CustomerProfile?> GetAsync()
    {
        var profile = await StateManager.TryGetStateAsync<CustomerProfile>(ProfileKey);
        return profile.HasValue ? profile.Value : null;
    }

    public async Task ResetAsync()
    {
        await StateManager.TryRemoveStateAsync(ProfileKey);
        await StateManager.TryRemoveStateAsync(PositionKey);
    }

    public async Task EraseAsync(DateTimeOffset erasedAt)
    {
        await StateManager.TryRemoveStateAsync(ProfileKey);
        // A new stream (the person coming back) starts again at version 1; only the erasure time is kept, no PII.
        await StateManager.SetStateAsync(PositionKey, new StreamPosition { ErasedAt = erasedAt });
        await RegisterReminderAsync(ForgetErasureReminder, null, ErasureGrace, ErasureGrace);
    }

    public async Task ReceiveReminderAsync(string reminderName, byte[] state, TimeSpan dueTime, TimeSpan period)
    {
        if (reminderName != ForgetErasureReminder) return;
        await UnregisterReminderAsync(ForgetErasureReminder);
        var position = await StateManager.TryGetStateAsync<StreamPosition>(PositionKey);
        if (!position.HasValue) return;
        if (position.Value.Version == 0 && position.Value.Waiting.Count == 0)
            await StateManager.TryRemoveStateAsync(PositionKey);
        else
        {
            position.Value.ErasedAt = null;
            await StateManager.SetStateAsync(PositionKey, position.Value);
        }
    }

    /// <summary>
    /// Whether the anonymous history is this person's to take: the first link of an anonymous id wins, as it does for
    /// routing in ingestion and in the recommendation export, so a shared device's later logins do not take it.
    /// </summary>
    private async Task<bool> OwnsAsync(EventRecorded linking, string anonymousId) =>
        await eventLog.LinkedUserAsync(linking.TenantId, anonymousId, CancellationToken.None) is not { } owner || owner == linking.UserId;

    /// <summary>Folds the stream's events after <paramref name="afterVersion"/> into the profile; returns the last version folded.</summary>
    private async Task<long> FoldAsync(CustomerProfile profile, string streamKey, long afterVersion)
    {
        var last = afterVersion;
        foreach (var e in await eventLog.ReadAsync(streamKey, afterVersion + 1, toVersion: 0, CancellationToken.None))
        {
            CustomerProfileProjection.Apply(profile, e);
            last = e.StreamVersion;
        }
        return last;
    }

    private static ApplyOutcome Outcome(StreamPosition position) => new(
        position.Version, position.Waiting.Count > 0 ? position.Waiting.Keys.First() : null, position.MergedInto);
}
