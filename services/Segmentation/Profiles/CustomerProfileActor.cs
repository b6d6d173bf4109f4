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

    private const string PersonKey = "person";

    /// <summary>
    /// Where state was kept before it moved under <see cref="PersonKey"/>: an erasure and a reset (so a rebuild) remove
    /// them. A person whose state is still there is read again from the event log on their next event, as a lost state is.
    /// </summary>
    private static readonly string[] FormerKeys = ["profile", "stream-position", "segments"];

    public async Task<ApplyOutcome> ApplyAsync(IReadOnlyList<EventRecorded> messages)
    {
        var person = await StateManager.GetOrAddStateAsync(PersonKey, new PersonState());
        var position = person.Position;
        var waitingBefore = position.Waiting.Count;
        var ready = messages.SelectMany(position.Accept).ToList();
        if (ready.Count == 0 && position.Waiting.Count == waitingBefore)
            return Outcome(position);

        if (ready.Count > 0)
        {
            var profile = person.Profile ??= new CustomerProfile();
            var turn = await BeginSegmentsAsync(ready[0].TenantId, person, appliedBefore: ready[0].StreamVersion - 1);
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
            await EndSegmentsAsync(person, turn);
        }
        await StateManager.SetStateAsync(PersonKey, person);
        return Outcome(position);
    }

    public async Task FollowAsync(string personStreamKey)
    {
        var person = await StateManager.GetOrAddStateAsync(PersonKey, new PersonState());
        if (person.Position.MergedInto is not null) return;
        person.Position.MergedInto = personStreamKey;
        await StateManager.SetStateAsync(PersonKey, person);
        // Its history is the person's from now on: the anonymous visitor leaves its segments.
        await CatchUpSegmentsAsync(reminderFired: false);
    }

    public async Task CatchUpMergedAsync(string anonymousStreamKey)
    {
        var stored = await StateManager.TryGetStateAsync<PersonState>(PersonKey);
        // Not merged yet: the merge reads the whole stream when the linking call is applied.
        if (!stored.HasValue || !stored.Value.Position.Merged.TryGetValue(anonymousStreamKey, out var folded))
            return;
        var person = stored.Value;
        var profile = person.Profile ??= new CustomerProfile();
        var turn = await BeginSegmentsAsync(profile.TenantId, person, appliedBefore: person.Position.Version);
        var last = await FoldAsync(profile, turn, anonymousStreamKey, folded);
        if (last == folded) return;
        await EndSegmentsAsync(person, turn);
        person.Position.Merged[anonymousStreamKey] = last;
        await StateManager.SetStateAsync(PersonKey, person);
    }

    public async Task<CustomerProfile?> GetAsync() =>
        (await StateManager.TryGetStateAsync<PersonState>(PersonKey)) is { HasValue: true } person ? person.Value.Profile : null;

    public async Task ResetAsync()
    {
        if (await StateManager.TryGetStateAsync<PersonState>(PersonKey) is { HasValue: true } person)
        {
            await ForgetSegmentsAsync(person.Value);
            await StateManager.TryRemoveStateAsync(PersonKey);
        }
        await RemoveFormerKeysAsync();
    }

    public Task CatchUpSegmentsAsync() => CatchUpSegmentsAsync(reminderFired: false);

    private async Task CatchUpSegmentsAsync(bool reminderFired)
    {
        var stored = await StateManager.TryGetStateAsync<PersonState>(PersonKey);
        if (!stored.HasValue || stored.Value.Profile is null)
        {
            // Nothing to evaluate: drop what segment state is left, and a reminder that outlived the state.
            if (stored.HasValue && await ForgetSegmentsAsync(stored.Value)) await StateManager.SetStateAsync(PersonKey, stored.Value);
            else if (reminderFired) await UnregisterReminderAsync(SegmentDeadlineReminder);
            return;
        }
        var person = stored.Value;
        var profile = person.Profile;
        var turn = await BeginSegmentsAsync(profile.TenantId, person, appliedBefore: person.Position.Version);
        SegmentEvaluator.CatchUp(turn.State, turn.Set, profile, clock.GetUtcNow(), turn.Transitions);
        if (await EndSegmentsAsync(person, turn))
            await StateManager.SetStateAsync(PersonKey, person);
    }

    public async Task<bool> PreviewSegmentAsync(SegmentDraft draft)
    {
        if (await StateManager.TryGetStateAsync<PersonState>(PersonKey) is not { HasValue: true } stored
            || stored.Value is not { Profile: { } profile, Position: { MergedInto: null } position } person)
            return false;
        using var definition = JsonDocument.Parse(draft.Definition);
        var parsed = DefinitionParser.Parse(definition.RootElement).Parsed
                     ?? throw new ArgumentException("The draft does not parse; the API checks it before asking.", nameof(draft));
        var set = (await segments.ForAsync(profile.TenantId)).With(new LiveSegment(SegmentDraft.Id, 0, parsed.Condition));
        // A copy: the state manager caches the stored object, and a preview must leave it as it was.
        var state = person.Segments is { } kept ? Copy(kept) : new SegmentState();
        var missing = SegmentEvaluator.MissingTrackers(state, set);
        if (missing.Count > 0)
            SegmentEvaluator.Fill(state, set, missing, await HistoryAsync(profile, position, position.Version));
        SegmentEvaluator.CatchUp(state, set, profile, clock.GetUtcNow(), transitions: []);
        return state.Memberships[SegmentDraft.Id].Member;
    }

    public async Task EraseAsync(DateTimeOffset erasedAt)
    {
        var person = await StateManager.GetOrAddStateAsync(PersonKey, new PersonState());
        if (person.Profile is { } erased)
            await ledger.ForgetAsync(erased.TenantId, erased.UserKey, CancellationToken.None);
        await ForgetSegmentsAsync(person);
        // A new stream (the person coming back) starts again at version 1; only the erasure time is kept, no PII.
        person.Profile = null;
        person.Position = new StreamPosition { ErasedAt = erasedAt };
        await StateManager.SetStateAsync(PersonKey, person);
        await RemoveFormerKeysAsync();
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
        if (await StateManager.TryGetStateAsync<PersonState>(PersonKey) is not { HasValue: true } stored) return;
        var position = stored.Value.Position;
        if (position.Version == 0 && position.Waiting.Count == 0)
            await StateManager.TryRemoveStateAsync(PersonKey);
        else
        {
            position.ErasedAt = null;
            await StateManager.SetStateAsync(PersonKey, stored.Value);
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
    private async Task<SegmentTurn> BeginSegmentsAsync(string tenantId, PersonState person, long appliedBefore)
    {
        var set = person.Position.MergedInto is null ? await segments.ForAsync(tenantId) : SegmentSet.Empty;
        var state = person.Segments ?? new SegmentState();
        var missing = SegmentEvaluator.MissingTrackers(state, set);
        if (missing.Count > 0)
            SegmentEvaluator.Fill(state, set, missing, await HistoryAsync(person.Profile!, person.Position, appliedBefore));
        return new SegmentTurn(set, state, person.Segments is not null, []);
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
    /// Writes the turn's transitions, notes the memberships in the profile, keeps the segment state in the person's,
    /// and sets the reminder for the next deadline; false when there was nothing to keep (no segments).
    /// </summary>
    private async Task<bool> EndSegmentsAsync(PersonState person, SegmentTurn turn)
    {
        // A tenant without segments costs its people no segment state.
        if (!turn.Stored && turn.Set.Segments.Count == 0) return false;
        var profile = person.Profile!;
        if (turn.Transitions.Count > 0)
        {
            await ledger.RecordAsync(profile.TenantId, profile.UserKey, turn.Transitions, CancellationToken.None);
            profile.Segments = turn.State.Memberships.Where(m => m.Value.Member)
                .ToDictionary(m => m.Key, m => m.Value.Since!.Value, StringComparer.Ordinal);
        }
        var next = turn.State.Clock is { } at ? SegmentEvaluator.NextDeadline(turn.State, turn.Set, profile, at) : null;
        // A reminder already due sooner stays: firing early only brings the person up to then and sets the next one,
        // which spares a reminder call on every event that pushes a sliding window's deadline later. One due by now
        // has fired (or is about to): it repeats until replaced, so it is replaced or removed.
        if (next is { } due && (turn.State.ReminderDue is not { } set || due < set || set <= clock.GetUtcNow()))
        {
            await RegisterReminderAsync(SegmentDeadlineReminder, null, Max(due - clock.GetUtcNow(), TimeSpan.Zero), DeadlineRetry);
            turn.State.ReminderDue = due;
        }
        else if (next is null && turn.State.ReminderDue is not null)
        {
            await UnregisterReminderAsync(SegmentDeadlineReminder);
            turn.State.ReminderDue = null;
        }
        person.Segments = turn.State;
        return true;
    }

    /// <summary>Drops the person's segment state and its reminder; true when there was any.</summary>
    private async Task<bool> ForgetSegmentsAsync(PersonState person)
    {
        if (person.Segments is not { } state) return false;
        if (state.ReminderDue is not null) await UnregisterReminderAsync(SegmentDeadlineReminder);
        person.Segments = null;
        return true;
    }

    private async Task RemoveFormerKeysAsync()
    {
        foreach (var key in FormerKeys)
            await StateManager.TryRemoveStateAsync(key);
    }

    private static SegmentState Copy(SegmentState state) =>
        JsonSerializer.Deserialize<SegmentState>(JsonSerializer.SerializeToUtf8Bytes(state))!;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static ApplyOutcome Outcome(StreamPosition position) => new(
        position.Version, position.Waiting.Count > 0 ? position.Waiting.Keys.First() : null, position.MergedInto);
}
