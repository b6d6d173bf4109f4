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
public sealed class CustomerProfileActor(ActorHost host, EventLogReader eventLog) : Actor(host), ICustomerProfileActor, IRemindable
{
    public const string TypeName = "CustomerProfile";

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
                if (LinkedStream(next) is { } linked && position.Merged.Add(linked))
                    foreach (var earlier in await eventLog.ReadAsync(linked, fromVersion: 1, toVersion: 0, CancellationToken.None))
                        CustomerProfileProjection.Apply(profile, earlier);
            }
            await StateManager.SetStateAsync(ProfileKey, profile);
        }
        await StateManager.SetStateAsync(PositionKey, position);
        return Outcome(position);
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

    /// <summary>The anonymous stream an identify or alias in a known user's stream ties to this person, if any.</summary>
    private static string? LinkedStream(EventRecorded e) =>
        IdentityLink.AnonymousIdLinkedBy(e.Type, e.UserId, e.AnonymousId, e.Payload) is { } anonymousId
        && StreamKey.For(e.TenantId, null, anonymousId) is var linked
        && linked.ToString() != e.StreamKey
            ? linked.ToString()
            : null;

    private static ApplyOutcome Outcome(StreamPosition position) => new(
        position.Version, position.Waiting.Count > 0 ? position.Waiting.Keys.First() : null);
}
