namespace Personalization.Segmentation.Segments.Evaluation;

/// <summary>
/// A person's side of the tenant's rule segments, kept in their CustomerProfile actor beside the profile: what the
/// event conditions need to remember, each segment's membership, and the evaluator's clock. Pure data.
/// </summary>
public sealed class SegmentState
{
    /// <summary>The latest instant evaluated; it never moves back, so a late event cannot undo a transition.</summary>
    public DateTimeOffset? Clock { get; set; }

    /// <summary>By tracker key: one per distinct event condition of the tenant's segments, shared by all that use it.</summary>
    public Dictionary<string, EventTracker> Trackers { get; set; } = [];

    /// <summary>By segment id, including segments since deleted, so a transition number is never used twice.</summary>
    public Dictionary<string, SegmentMembership> Memberships { get; set; } = [];

    /// <summary>When the actor's reminder is due: never after the next deadline, so an event that only pushes the deadline later costs no reminder call.</summary>
    public DateTimeOffset? ReminderDue { get; set; }
}

/// <summary>
/// What one event condition remembers: for a windowed count, the latest occurrences inside the window (no more than
/// the test needs); for a total, the count; for a sequence, when its open cycle started and when a follow-up closed it.
/// </summary>
public sealed class EventTracker
{
    public List<DateTimeOffset> Times { get; set; } = [];
    public long Count { get; set; }
    public DateTimeOffset? First { get; set; }
    public DateTimeOffset? FollowedAt { get; set; }
}

public sealed class SegmentMembership
{
    public int Version { get; set; }
    public bool Member { get; set; }
    public DateTimeOffset? Since { get; set; }

    /// <summary>Entries and exits so far; the next transition's number is one more, and keys its message.</summary>
    public int Transitions { get; set; }
}

/// <summary>A person entering or leaving a segment, at the instant it happened, numbered per (person, segment).</summary>
public sealed record SegmentTransition(string SegmentId, int Version, bool Entered, DateTimeOffset At, int Number, Guid? CausedBy);
