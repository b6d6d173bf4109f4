using Personalization.Contracts.Conditions;
using Personalization.Contracts.Profiles;
using Personalization.Triggers.Journeys;
using Personalization.Triggers.Policy;

namespace Personalization.Triggers.Occurrences;

/// <summary>What happened at a step, for the journey's log and stats.</summary>
public sealed record StepRecord(string? StepId, string Outcome, string? Detail = null);

/// <summary>What is known of the person when a turn runs: the profile (for branches) and the time zone (for waits until a local time).</summary>
/// <param name="ProfileReached">False when the profile could not be read; a branch then waits and tries again.</param>
public sealed record OccurrenceFacts(CustomerProfile? Profile, bool ProfileReached, TimeZoneInfo TimeZone);

/// <summary>A turn's effects: the records of what happened and the sends it queued, written together with the occurrence.</summary>
public sealed class Turn
{
    public List<StepRecord> Records { get; } = [];
    public List<SendStep> Sends { get; } = [];
    public bool Changed => Records.Count > 0;
}

/// <summary>
/// Moves an occurrence through its journey. Pure: the actor loads the occurrence and the facts, runs one of these,
/// and writes the occurrence, the records and the queued sends in one transaction. An occurrence runs steps until
/// it reaches one that waits (a duration, a local time, an event, a profile that could not be read) or its end.
/// The journey's steps form no cycle (checked when saved), so a run ends. A held-out entrant goes through the same
/// steps and ends the same ways, but its sends are withheld: what becomes of the two groups measures the journey's lift.
/// </summary>
public static class OccurrenceEngine
{
    /// <summary>A branch whose profile could not be read tries again after this long.</summary>
    public static readonly TimeSpan ProfileRetry = TimeSpan.FromSeconds(30);

    public static Turn Start(JourneyDefinition journey, Occurrence occurrence, DateTimeOffset now, OccurrenceFacts facts)
    {
        var turn = new Turn();
        turn.Records.Add(new StepRecord(null, occurrence.Holdout ? "heldOut" : "entered"));
        Run(journey, occurrence, journey.Steps[0].Id, now, facts, turn);
        return turn;
    }

    /// <summary>The wait ended (its reminder fired): on to the step after it, or the branch tried again.</summary>
    public static Turn Resume(JourneyDefinition journey, Occurrence occurrence, DateTimeOffset now, OccurrenceFacts facts)
    {
        var turn = new Turn();
        if (occurrence.Status != OccurrenceStatus.Waiting || occurrence.DueAt > now) return turn;
        var step = Step(journey, occurrence.StepId!);
        switch (step)
        {
            case WaitStep wait: Run(journey, occurrence, wait.Next, now, facts, turn); break;
            case WaitUntilStep until: Run(journey, occurrence, until.Next, now, facts, turn); break;
            case WaitForStep waitFor:
                turn.Records.Add(new StepRecord(step.Id, "timedOut", $"no {waitFor.Filter.Event} within {Contracts.Durations.Format(waitFor.Timeout)}"));
                Run(journey, occurrence, waitFor.OnTimeout, now, facts, turn);
                break;
            default: Run(journey, occurrence, step.Id, now, facts, turn); break;
        }
        return turn;
    }

    /// <summary>An event of the person: an exit criterion ends the occurrence wherever it waits; the event it waits for ends that wait.</summary>
    public static Turn Receive(JourneyDefinition journey, Occurrence occurrence, JourneyEvent e, DateTimeOffset now, OccurrenceFacts facts)
    {
        var turn = new Turn();
        if (occurrence.Status != OccurrenceStatus.Waiting || e.EventId == occurrence.EntryId) return turn;
        if (journey.ExitWhen.FirstOrDefault(x => e.Matches(x.Filter) && KeyMatches(x.MatchKey, e, occurrence)) is { } exit)
        {
            End(occurrence, OccurrenceStatus.Exited, $"exitWhen: {exit.Filter.Event}", turn);
            return turn;
        }
        if (Step(journey, occurrence.StepId!) is WaitForStep waitFor && e.Matches(waitFor.Filter) && KeyMatches(waitFor.MatchKey, e, occurrence))
        {
            turn.Records.Add(new StepRecord(waitFor.Id, "eventCame", e.Name));
            Run(journey, occurrence, waitFor.OnEvent, now, facts, turn);
        }
        return turn;
    }

    /// <summary>Whether the event concerns the occurrence: always without a match key, else when its property holds the occurrence's key.</summary>
    private static bool KeyMatches(string? matchKey, JourneyEvent e, Occurrence occurrence) =>
        matchKey is null || e.KeyOf(matchKey) == occurrence.Key;

    private static void Run(JourneyDefinition journey, Occurrence occurrence, string? stepId, DateTimeOffset now, OccurrenceFacts facts, Turn turn)
    {
        while (true)
        {
            if (stepId is null)
            {
                End(occurrence, OccurrenceStatus.Completed, null, turn);
                return;
            }
            var step = Step(journey, stepId);
            occurrence.StepId = step.Id;
            occurrence.StepStartedAt = now;
            switch (step)
            {
                case WaitStep wait:
                    Wait(occurrence, step, now + wait.Duration, turn);
                    return;
                case WaitUntilStep until:
                    Wait(occurrence, step, LocalTimes.Next(until.Time, facts.TimeZone, now), turn);
                    return;
                case WaitForStep waitFor:
                    Wait(occurrence, step, now + waitFor.Timeout, turn);
                    return;
                case BranchStep when !facts.ProfileReached:
                    turn.Records.Add(new StepRecord(step.Id, "retrying", "the profile could not be read"));
                    occurrence.DueAt = now + ProfileRetry;
                    return;
                case BranchStep branch:
                    var index = branch.Cases.ToList().FindIndex(c => ProfileConditions.Holds(c.If, facts.Profile, now,
                        leaf => ProfileConditions.ListsMembership(leaf, facts.Profile)));
                    turn.Records.Add(new StepRecord(step.Id, "branched", index < 0 ? "else" : $"case {index}"));
                    stepId = index < 0 ? branch.Else : branch.Cases[index].Next;
                    break;
                case SendStep send when occurrence.Holdout:
                    turn.Records.Add(new StepRecord(step.Id, "withheld", "holdout"));
                    stepId = send.Next;
                    break;
                case SendStep send:
                    turn.Sends.Add(send);
                    turn.Records.Add(new StepRecord(step.Id, "queued", send.Template));
                    stepId = send.Next;
                    break;
                default:
                    stepId = null;
                    break;
            }
        }
    }

    private static void Wait(Occurrence occurrence, JourneyStep step, DateTimeOffset until, Turn turn)
    {
        occurrence.DueAt = until.ToUniversalTime();
        turn.Records.Add(new StepRecord(step.Id, "waiting", until.ToString("O")));
    }

    private static void End(Occurrence occurrence, OccurrenceStatus status, string? reason, Turn turn)
    {
        occurrence.Status = status;
        occurrence.DueAt = null;
        occurrence.EndReason = reason;
        turn.Records.Add(new StepRecord(occurrence.StepId, status == OccurrenceStatus.Completed ? "completed" : "exited", reason));
    }

    private static JourneyStep Step(JourneyDefinition journey, string id) => journey.Steps.First(s => s.Id == id);
}
