using Personalization.Contracts.Conditions;
using Personalization.Contracts.Profiles;
using Personalization.Segmentation.Segments.Definitions;

namespace Personalization.Segmentation.Segments.Evaluation;

/// <summary>
/// Decides a person's rule-segment memberships, exactly at the instant each changes. Time-dependent tests (sliding
/// windows, "then not within", ages) change at instants known in advance: <see cref="NextDeadline"/> names the next,
/// and <see cref="Advance"/> steps through every deadline up to an instant, evaluating at each, so a reminder that
/// fires late, or an event that comes first, or a rebuild replaying the log long after, all give the same transitions
/// at the same instants. Pure: the actor feeds it and stores the state.
/// </summary>
public static class SegmentEvaluator
{
    /// <summary>
    /// Evaluates at every deadline before <paramref name="until"/> (and at it, when <paramref name="inclusive"/>), on
    /// the profile as it stands, moving the clock to each. Called before an event is applied (not inclusive) and when
    /// a reminder fires (inclusive).
    /// </summary>
    public static void Advance(SegmentState state, SegmentSet set, CustomerProfile profile, DateTimeOffset until, bool inclusive, List<SegmentTransition> transitions)
    {
        while (state.Clock is { } clock && NextDeadline(state, set, profile, clock) is { } deadline
               && (deadline < until || (inclusive && deadline == until)))
        {
            state.Clock = deadline;
            Evaluate(state, set, profile, deadline, cause: null, transitions);
        }
    }

    /// <summary>Records an event (already applied to the profile) in the trackers it feeds, then evaluates at its instant.</summary>
    public static void Observe(SegmentState state, SegmentSet set, CustomerProfile profile, SegmentEvent e, List<SegmentTransition> transitions)
    {
        Track(state, set, e, only: null);
        if (state.Clock is null || state.Clock < e.Instant) state.Clock = e.Instant;
        Evaluate(state, set, profile, state.Clock.Value, e.EventId, transitions);
    }

    /// <summary>
    /// Brings the person up to <paramref name="now"/>: every deadline passed, then an evaluation at now, which decides
    /// a definition that is new or changed for them without waiting for their next event.
    /// </summary>
    public static void CatchUp(SegmentState state, SegmentSet set, CustomerProfile profile, DateTimeOffset now, List<SegmentTransition> transitions)
    {
        Advance(state, set, profile, now, inclusive: true, transitions);
        if (state.Clock is null || state.Clock < now) state.Clock = now;
        Evaluate(state, set, profile, state.Clock.Value, cause: null, transitions);
    }

    /// <summary>Tracker keys the set needs that the state has never filled: they must be filled from the person's history.</summary>
    public static IReadOnlySet<string> MissingTrackers(SegmentState state, SegmentSet set) =>
        set.Trackers.Keys.Where(key => !state.Trackers.ContainsKey(key)).ToHashSet(StringComparer.Ordinal);

    /// <summary>Fills the <paramref name="missing"/> trackers from the person's past events, so a new condition judges all they did.</summary>
    public static void Fill(SegmentState state, SegmentSet set, IReadOnlySet<string> missing, IEnumerable<SegmentEvent> history)
    {
        foreach (var e in history.OrderBy(e => e.Instant)) Track(state, set, e, missing);
        foreach (var key in missing) state.Trackers.TryAdd(key, new EventTracker());
    }

    /// <summary>Feeds an event to the trackers it watches (to <paramref name="only"/> these, when filling new ones from history).</summary>
    public static void Track(SegmentState state, SegmentSet set, SegmentEvent e, IReadOnlySet<string>? only)
    {
        foreach (var (key, match, role) in set.Watching(e))
        {
            if (only is not null && !only.Contains(key) || !e.Matches(match)) continue;
            if (!state.Trackers.TryGetValue(key, out var tracker)) state.Trackers[key] = tracker = new EventTracker();
            var at = e.Instant;
            switch (role, set.Trackers[key])
            {
                case (TrackerRole.Count, EventCount { Within: { } within } count):
                    var position = tracker.Times.BinarySearch(at);
                    tracker.Times.Insert(position < 0 ? ~position : position, at);
                    var horizon = (state.Clock is { } clock && clock > at ? clock : at) - within;
                    tracker.Times.RemoveAll(t => t <= horizon);
                    if (tracker.Times.Count > count.Kept) tracker.Times.RemoveRange(0, tracker.Times.Count - count.Kept);
                    break;
                case (TrackerRole.Count, _):
                    tracker.Count++;
                    break;
                // A cycle opens with the first A after the last B and closes at the next B; a late A within an
                // open cycle moves its opening back.
                case (TrackerRole.First, _) when tracker.First is null || (tracker.FollowedAt is { } closed ? at > closed : at < tracker.First):
                    tracker.First = at;
                    tracker.FollowedAt = null;
                    break;
                case (TrackerRole.Then, _) when tracker.First is { } opened && at >= opened && (tracker.FollowedAt is null || at < tracker.FollowedAt):
                    tracker.FollowedAt = at;
                    break;
            }
        }
        if (only is not null) return;
        // A live event: every tracker of the set is known from here on, and those no segment uses any more are dropped.
        foreach (var key in set.Trackers.Keys) state.Trackers.TryAdd(key, new EventTracker());
        if (state.Trackers.Count > set.Trackers.Count)
            foreach (var key in state.Trackers.Keys.Where(key => !set.Trackers.ContainsKey(key)).ToList())
                state.Trackers.Remove(key);
    }

    /// <summary>Evaluates every segment at <paramref name="at"/>, recording a transition for each membership that changes.</summary>
    public static void Evaluate(SegmentState state, SegmentSet set, CustomerProfile profile, DateTimeOffset at, Guid? cause, List<SegmentTransition> transitions)
    {
        var members = new Dictionary<string, bool>(set.Segments.Count, StringComparer.Ordinal);
        foreach (var segment in set.Segments)
        {
            var member = Holds(segment.Condition, state, profile, at, members);
            members[segment.Id] = member;
            Record(state, segment.Id, segment.Version, member, at, cause, transitions);
        }
        // A deleted segment's members leave it.
        foreach (var (id, membership) in state.Memberships)
            if (membership.Member && !members.ContainsKey(id))
                Record(state, id, membership.Version, member: false, at, cause, transitions);
    }

    public static bool Holds(Condition condition, SegmentState state, CustomerProfile profile, DateTimeOffset at, IReadOnlyDictionary<string, bool> members) =>
        ProfileConditions.Holds(condition, profile, at, leaf => leaf switch
        {
            EventCount count => CountHolds(count, state.Trackers.GetValueOrDefault(count.TrackerKey), at),
            NotFollowedBy sequence => state.Trackers.GetValueOrDefault(sequence.TrackerKey) is { First: { } opened, FollowedAt: null }
                                      && at >= opened + sequence.Within,
            MemberOf member => members.GetValueOrDefault(member.SegmentId),
            _ => throw new NotSupportedException(leaf.GetType().Name),
        });

    private static bool CountHolds(EventCount count, EventTracker? tracker, DateTimeOffset at)
    {
        var n = count.Within is { } within ? CountAfter(tracker?.Times, at - within) : tracker?.Count ?? 0;
        return (count.AtLeast is not { } least || n >= least) && (count.AtMost is not { } most || n <= most);
    }

    /// <summary>The first instant after <paramref name="after"/> at which a time-dependent test may change, or null.</summary>
    public static DateTimeOffset? NextDeadline(SegmentState state, SegmentSet set, CustomerProfile profile, DateTimeOffset after)
    {
        DateTimeOffset? next = null;
        void Consider(DateTimeOffset candidate)
        {
            if (candidate > after && (next is null || candidate < next)) next = candidate;
        }

        foreach (var window in set.Windows)
            if (state.Trackers.GetValueOrDefault(window.TrackerKey) is { } tracker)
                foreach (var t in tracker.Times)
                    if (t + window.Within!.Value > after) { Consider(t + window.Within.Value); break; }
        foreach (var sequence in set.Sequences)
            if (state.Trackers.GetValueOrDefault(sequence.TrackerKey) is { First: { } opened, FollowedAt: null })
                Consider(opened + sequence.Within);
        foreach (var age in set.Ages)
            if (ProfileFields.AnchorOf(profile, age.Field) is { } anchor)
                foreach (var comparison in age.Comparisons)
                    if (comparison.Number is { } days && AgeReached(anchor, days) is { } reached) Consider(reached);
        return next;
    }

    /// <summary>
    /// Just past the instant an age reaches <paramref name="days"/>: one tick later than the exact instant, so every
    /// comparison with it (strict or not) has already turned when it is evaluated there.
    /// </summary>
    private static DateTimeOffset? AgeReached(DateTimeOffset anchor, double days)
    {
        var ticks = Math.Ceiling(days * TimeSpan.TicksPerDay) + 1;
        return ticks > 0 && ticks < (DateTimeOffset.MaxValue - anchor).Ticks ? anchor.AddTicks((long)ticks) : null;
    }

    private static int CountAfter(List<DateTimeOffset>? times, DateTimeOffset horizon)
    {
        if (times is null) return 0;
        var n = 0;
        for (var i = times.Count - 1; i >= 0 && times[i] > horizon; i--) n++;
        return n;
    }

    private static void Record(SegmentState state, string id, int version, bool member, DateTimeOffset at, Guid? cause, List<SegmentTransition> transitions)
    {
        if (!state.Memberships.TryGetValue(id, out var membership)) state.Memberships[id] = membership = new SegmentMembership();
        membership.Version = version;
        if (membership.Member == member) return;
        membership.Member = member;
        membership.Since = member ? at : null;
        membership.Transitions++;
        transitions.Add(new SegmentTransition(id, version, member, at, membership.Transitions, cause));
    }
}
