using System.Text.Json;
using Personalization.Contracts.Conditions;
using Personalization.Triggers.Templates;

namespace Personalization.Triggers.Journeys;

/// <summary>An event as a journey watches for it: its name and properties that must equal the given values.</summary>
public sealed record EventFilter(string Event, IReadOnlyDictionary<string, JsonElement> Where);

/// <summary>How a person enters: on a tracked event, on entering a segment, or as a member of a segment on a schedule.</summary>
public abstract record JourneyEntry;

public sealed record EventEntry(EventFilter Filter) : JourneyEntry;

public sealed record SegmentEntry(string SegmentId) : JourneyEntry;

/// <summary>A segment's members at <see cref="At"/>, or every <see cref="Every"/> from it.</summary>
public sealed record BroadcastEntry(string SegmentId, DateTimeOffset At, TimeSpan? Every) : JourneyEntry;

public enum ReentryMode { Once, OncePer, EveryTime }

/// <param name="Period">For <see cref="ReentryMode.OncePer"/>: at most one entry per person in any period this long.</param>
public sealed record Reentry(ReentryMode Mode, TimeSpan? Period);

/// <summary>An event that ends the person's occurrence wherever it is, matched on the occurrence's key when one is given.</summary>
public sealed record ExitCriterion(EventFilter Filter, string? MatchKey);

public abstract record JourneyStep(string Id);

public sealed record WaitStep(string Id, TimeSpan Duration, string? Next) : JourneyStep(Id);

/// <summary>Until the next <see cref="Time"/> of day in the person's time zone.</summary>
public sealed record WaitUntilStep(string Id, TimeOnly Time, string? Next) : JourneyStep(Id);

/// <summary>Until the event comes (matched on the occurrence's key when <see cref="MatchKey"/> is given) or the timeout passes.</summary>
public sealed record WaitForStep(string Id, EventFilter Filter, string? MatchKey, TimeSpan Timeout, string? OnEvent, string? OnTimeout) : JourneyStep(Id);

/// <param name="Next">The step to go on to; null ends the journey.</param>
/// <param name="If">A condition on the person's profile and segments, as segments write them (traits, profile fields, segment membership, and/or/not).</param>
public sealed record BranchCase(Condition If, string? Next);

/// <summary>The first case whose condition holds decides the next step; none, and <see cref="Else"/> does.</summary>
public sealed record BranchStep(string Id, IReadOnlyList<BranchCase> Cases, string? Else) : JourneyStep(Id);

/// <summary>
/// Sends a message on a channel from a template; <see cref="Scenario"/> is the recommendation scenario its tokens ask
/// for, <see cref="Group"/> the subscription group it is sent in (its unsubscribe link leaves that group).
/// </summary>
public sealed record SendStep(string Id, Channel Channel, string Template, string? Scenario, Uri? Url, string? Group, string? Next) : JourneyStep(Id);

public sealed record ExitStep(string Id) : JourneyStep(Id);

/// <param name="Key">The entry event's property that keys an occurrence (the same cart, the same order); null: one per person.</param>
/// <param name="Holdout">The share of entrants (random, sticky) that get nothing, so the journey's lift can be measured.</param>
public sealed record JourneyDefinition(string Name, JourneyEntry Entry, string? Key, Reentry Reentry, double Holdout,
    IReadOnlyList<ExitCriterion> ExitWhen, IReadOnlyList<JourneyStep> Steps)
{
    /// <summary>Whether an event of the person can change a running occurrence: an exit criterion, or a step that waits for one.</summary>
    public bool HearsEvents => ExitWhen.Count > 0 || Steps.Any(s => s is WaitForStep);

    /// <summary>The steps a step may go on to, each with the property that names it (none from an exit; a null target ends the journey).</summary>
    public static IEnumerable<(string Property, string? Target)> NextOf(JourneyStep step) => step switch
    {
        WaitStep wait => [("next", wait.Next)],
        WaitUntilStep until => [("next", until.Next)],
        WaitForStep waitFor => [("onEvent", waitFor.OnEvent), ("onTimeout", waitFor.OnTimeout)],
        BranchStep branch => [.. branch.Cases.Select((c, i) => ($"branch[{i}].next", c.Next)), ("else", branch.Else)],
        SendStep send => [("next", send.Next)],
        _ => [],
    };
}
