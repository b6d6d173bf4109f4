using Personalization.Contracts.Profiles;
using Personalization.ServiceDefaults;
using System.Text.Json;
using Dapr.Actors.Runtime;
using Personalization.Contracts;
using Personalization.Contracts.V1;
using Personalization.Segmentation.Segments;
using Personalization.Segmentation.Segments.Definitions;
using Personalization.Segmentation.Segments.Evaluation;
using Personalization.Segmentation.Segments.Preview;
using Personalization.Segmentation.Segments.Store;

namespace Personalization.Segmentation.Profiles;

/// <summary>
/// Holds a person's profile as actor state. Dapr gives each actor one turn at a time, and the runtime saves the
/// changed state keys in one transaction when a method returns, so the profile and its stream position move together.
/// Merging a linked anonymous history happens inside the turn of the linking call, so the person's later events are
/// always applied after it, live and in a rebuild alike. The person's rule segments are evaluated in the same turns,
/// on each applied event and at deadlines (a reminder), and their transitions are written before the turn ends, keyed
/// so that a turn run twice writes them once.
/// </summary>
[Actor(TypeName = TypeName)]
public sealed class CustomerProfileActor(
    ActorHost host, EventLogReader eventLog, CustomerProfiles profiles, TenantSegments segments, MembershipLedger ledger, TimeProvider clock)
    : Actor(host), ICustomerProfileActor, IRemindable
{
    public const string TypeName = ProfileActors.TypeName;

    /// <summary>How long an erased person's actor keeps the erasure time: far longer than a message stays in flight.</summary>
    public static readonly TimeSpan ErasureGrace = TimeSpan.FromHours(24);

    private const string ForgetErasureReminder = "forget-erasure";
    private const string SegmentDeadlineReminder = "segment-deadline";

    /// <summary>A deadline reminder repeats this often until the turn it fires succeeds and sets the next one.</summary>
    private static readonly TimeSpan DeadlineRetry = TimeSpan.FromMinutes(5);

    private const string ProfileKey = "profile";
    private const string PositionKey = "stream-position";
    private const string SegmentsKey = "segments";

    public async Task<ApplyOutcome> ApplyAsync(IReadOnlyList<EventRecorded> messages)
    {
        var position = await StateManager.GetOrAddStateAsync(PositionKey, new StreamPosition());
        var waitingBefore = position.Waiting.Count;
        var ready = messages.SelectMany(position.Accept).ToList();
        if (ready.Count == 0 && position.Waiting.Count == waitingBefore)
            return Outcome(position);

        if (ready.Count > 0)
        {
            var profile = await StateManager.GetOrAddStateAsync(ProfileKey, new CustomerProfile());
            var turn = await BeginSegmentsAsync(ready[0].TenantId, profile, position, appliedBefore: ready[0].StreamVersion - 1);
            foreach (var next in ready)
            {
                SegmentedProfile.Apply(profile, turn.State, turn.Set, next, turn.Transitions);
                if (AnonymousHistory.LinkedBy(next) is { } linked && !position.Merged.ContainsKey(linked.StreamKey)
                    && await OwnsAsync(next, linked.AnonymousId))
                {
                    // Marked before the read: an event stored there after it (by a node that had not seen the link
                    // yet) is passed on here instead of staying in the anonymous profile only.
                    await profiles.For(linked.StreamKey).FollowAsync(next.StreamKey);
                    position.Merged[linked.StreamKey] = await FoldAsync(profile, turn, linked.StreamKey, afterVersion: 0);
                }
            }
            await EndSegmentsAsync(profile, turn);
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
        // Its history is the person's from now on: the anonymous visitor leaves its segments.
        await CatchUpSegmentsAsync(reminderFired: false);
    }

    public async Task CatchUpMergedAsync(string anonymousStreamKey)
    {
        var position = await StateManager.TryGetStateAsync<StreamPosition>(PositionKey);
        // Not merged yet: the merge reads the whole stream when the linking call is applied.
        if (!position.HasValue || !position.Value.Merged.TryGetValue(anonymousStreamKey, out var folded))
            return;
        var profile = await StateManager.GetOrAddStateAsync(ProfileKey, new CustomerProfile());
        var turn = await BeginSegmentsAsync(profile.TenantId, profile, position.Value, appliedBefore: position.Value.Version);
        var last = await FoldAsync(profile, turn, anonymousStreamKey, folded);
        if (last == folded) return;
        await EndSegmentsAsync(profile, turn);
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
        await ForgetSegmentsAsync();
    }

    public Task CatchUpSegmentsAsync() => CatchUpSegmentsAsync(reminderFired: false);

    private async Task CatchUpSegmentsAsync(bool reminderFired)
    {
        var profile = await StateManager.TryGetStateAsync<CustomerProfile>(ProfileKey);
        var position = await StateManager.TryGetStateAsync<StreamPosition>(PositionKey);
        if (!profile.HasValue || !position.HasValue)
        {
            await ForgetSegmentsAsync();
            return;
        }
        var turn = await BeginSegmentsAsync(profile.Value.TenantId, profile.Value, position.Value, appliedBefore: position.Value.Version);
        if (reminderFired) turn.State.ReminderDue = null;
        SegmentEvaluator.CatchUp(turn.State, turn.Set, profile.Value, clock.GetUtcNow(), turn.Transitions);
        if (await EndSegmentsAsync(profile.Value, turn))
            await StateManager.SetStateAsync(ProfileKey, profile.Value);
    }

    public async Task<bool> PreviewSegmentAsync(SegmentDraft draft)
    {
        var profile = await StateManager.TryGetStateAsync<CustomerProfile>(ProfileKey);
        var position = await StateManager.TryGetStateAsync<StreamPosition>(PositionKey);
        if (!profile.HasValue || !position.HasValue || position.Value.MergedInto is not null) return false;
        using var definition = JsonDocument.Parse(draft.Definition);
        var parsed = DefinitionParser.Parse(definition.RootElement).Parsed
                     ?? throw new ArgumentException("The draft does not parse; the API checks it before asking.", nameof(draft));
        var set = (await segments.ForAsync(profile.Value.TenantId)).With(new LiveSegment(SegmentDraft.Id, 0, parsed.Condition));
        // A copy: the state manager caches the stored object, and a preview must leave it as it was.
        var stored = await StateManager.TryGetStateAsync<SegmentState>(SegmentsKey);
        var state = stored.HasValue ? Copy(stored.Value) : new SegmentState();
        var missing = SegmentEvaluator.MissingTrackers(state, set);
        if (missing.Count > 0)
            SegmentEvaluator.Fill(state, set, missing, await HistoryAsync(profile.Value, position.Value, position.Value.Version));
        SegmentEvaluator.CatchUp(state, set, profile.Value, clock.GetUtcNow(), transitions: []);
        return state.Memberships[SegmentDraft.Id].Member;
    }

    public async Task EraseAsync(DateTimeOffset erasedAt)
    {
        if (await StateManager.TryGetStateAsync<CustomerProfile>(ProfileKey) is { HasValue: true } erased)
            await ledger.ForgetAsync(erased.Value.TenantId, erased.Value.UserKey, CancellationToken.None);
        await StateManager.TryRemoveStateAsync(ProfileKey);
        await ForgetSegmentsAsync();
        // A new stream (the person coming back) starts again at version 1; only the erasure time is kept, no PII.
        await StateManager.SetStateAsync(PositionKey, new StreamPosition { ErasedAt = erasedAt });
        await RegisterReminderAsync(ForgetErasureReminder, null, ErasureGrace, ErasureGrace);
    }

    public async Task ReceiveReminderAsync(string reminderName, byte[] state, TimeSpan dueTime, TimeSpan period)
    {
        if (reminderName == SegmentDeadlineReminder)
        {
            await CatchUpSegmentsAsync(reminderFired: true);
            return;
        }
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

    /// <summary>Folds the stream's events after <paramref name="afterVersion"/> into the profile and segments; returns the last version folded.</summary>
    private async Task<long> FoldAsync(CustomerProfile profile, SegmentTurn turn, string streamKey, long afterVersion)
    {
        var last = afterVersion;
        foreach (var e in await eventLog.ReadAsync(streamKey, afterVersion + 1, toVersion: 0, CancellationToken.None))
        {
            SegmentedProfile.Apply(profile, turn.State, turn.Set, e, turn.Transitions);
            last = e.StreamVersion;
        }
        return last;
    }

    /// <param name="Stored">Whether the person had segment state before this turn.</param>
    private sealed record SegmentTurn(SegmentSet Set, SegmentState State, bool Stored, List<SegmentTransition> Transitions);

    /// <summary>
    /// The tenant's live segments (none for an anonymous stream merged into a person) and the person's side of them,
    /// with the trackers of any condition new since their last turn filled from the history already applied.
    /// </summary>
    private async Task<SegmentTurn> BeginSegmentsAsync(string tenantId, CustomerProfile profile, StreamPosition position, long appliedBefore)
    {
        var set = position.MergedInto is null ? await segments.ForAsync(tenantId) : SegmentSet.Empty;
        var stored = await StateManager.TryGetStateAsync<SegmentState>(SegmentsKey);
        var state = stored.HasValue ? stored.Value : new SegmentState();
        var missing = SegmentEvaluator.MissingTrackers(state, set);
        if (missing.Count > 0)
            SegmentEvaluator.Fill(state, set, missing, await HistoryAsync(profile, position, appliedBefore));
        return new SegmentTurn(set, state, stored.HasValue, []);
    }

    /// <summary>The first <paramref name="appliedBefore"/> events of the person's stream and the anonymous streams merged in.</summary>
    private async Task<IEnumerable<SegmentEvent>> HistoryAsync(CustomerProfile profile, StreamPosition position, long appliedBefore)
    {
        var history = new List<EventRecorded>();
        if (appliedBefore > 0)
            history.AddRange(await eventLog.ReadAsync(new StreamKey(profile.TenantId, profile.UserKey).ToString(), 1, appliedBefore, CancellationToken.None));
        foreach (var (stream, folded) in position.Merged)
            history.AddRange(await eventLog.ReadAsync(stream, 1, folded, CancellationToken.None));
        return history.Where(e => e.Flags == EventFlags.None).Select(SegmentEvent.From);
    }

    /// <summary>
    /// Writes the turn's transitions, notes the memberships in the profile, and sets the reminder for the next
    /// deadline; true when the profile's memberships changed.
    /// </summary>
    private async Task<bool> EndSegmentsAsync(CustomerProfile profile, SegmentTurn turn)
    {
        // A tenant without segments costs its people no segment state.
        if (!turn.Stored && turn.Set.Segments.Count == 0) return false;
        if (turn.Transitions.Count > 0)
        {
            await ledger.RecordAsync(profile.TenantId, profile.UserKey, turn.Transitions, CancellationToken.None);
            profile.Segments = turn.State.Memberships.Where(m => m.Value.Member)
                .ToDictionary(m => m.Key, m => m.Value.Since!.Value, StringComparer.Ordinal);
        }
        var next = turn.State.Clock is { } at ? SegmentEvaluator.NextDeadline(turn.State, turn.Set, profile, at) : null;
        // A reminder already due sooner stays: firing early only brings the person up to then and sets the next one,
        // which spares a reminder call on every event that pushes a sliding window's deadline later.
        if (next is { } due && (turn.State.ReminderDue is not { } set || due < set))
        {
            await RegisterReminderAsync(SegmentDeadlineReminder, null, Max(due - clock.GetUtcNow(), TimeSpan.Zero), DeadlineRetry);
            turn.State.ReminderDue = due;
        }
        else if (next is null && turn.State.ReminderDue is not null)
        {
            await UnregisterReminderAsync(SegmentDeadlineReminder);
            turn.State.ReminderDue = null;
        }
        await StateManager.SetStateAsync(SegmentsKey, turn.State);
        return turn.Transitions.Count > 0;
    }

    private async Task ForgetSegmentsAsync()
    {
        var state = await StateManager.TryGetStateAsync<SegmentState>(SegmentsKey);
        if (!state.HasValue) return;
        if (state.Value.ReminderDue is not null) await UnregisterReminderAsync(SegmentDeadlineReminder);
        await StateManager.TryRemoveStateAsync(SegmentsKey);
    }

    private static SegmentState Copy(SegmentState state) =>
        JsonSerializer.Deserialize<SegmentState>(JsonSerializer.SerializeToUtf8Bytes(state))!;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static ApplyOutcome Outcome(StreamPosition position) => new(
        position.Version, position.Waiting.Count > 0 ? position.Waiting.Keys.First() : null, position.MergedInto);
}
