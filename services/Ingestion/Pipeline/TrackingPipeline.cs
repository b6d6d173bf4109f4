using Personalization.Contracts.EventLog;
using Personalization.Ingestion.Metrics;
using Personalization.Ingestion.Sources;
using Personalization.Ingestion.Storage;
using Personalization.Ingestion.TrackingPlans;
using Personalization.Ingestion.Validation;

namespace Personalization.Ingestion.Pipeline;

/// <summary>
/// One parsed tracking request through identity, screening, consent, tracking plans and the event store. A
/// well-formed batch is taken in part unless its source is strict: its valid messages are stored, and each invalid
/// one, each that breaks its tracking plan and each the event store refuses is dead-lettered (durably, before the
/// result) with its reasons. Anything else is all or nothing.
/// </summary>
public sealed class TrackingPipeline(
    EventPreparation preparation, TrackingPlanRegistry plans, DeadLetters deadLetters, GroupCommitWriter writer, SourceSettings sources, IngestionMetrics metrics)
{
    public async Task<TrackingResult> RunAsync(ParseResult parsed, EventOrigin origin, CancellationToken ct)
    {
        var inPart = parsed.Invalid is not null && !await sources.IsStrictAsync(origin.TenantId, origin.SourceId, ct);
        if (!parsed.IsValid && !(inPart && parsed.CanTakeInPart))
        {
            metrics.Rejected(origin, parsed.Errors.Count, IngestionMetrics.InvalidReason);
            return new TrackingResult.Rejected(parsed.Errors);
        }

        try
        {
            var invalid = parsed.Invalid?.Select(m => DeadLetter.OfInvalid(m, origin)).ToList() ?? [];
            var (passed, failed) = await plans.SplitAsync(await preparation.PrepareAsync(parsed.Events, ct), ct);
            await deadLetters.SaveAsync([.. invalid, .. failed], ct);
            var (outcome, refused) = await AppendAsync(passed, inPart, ct);
            await deadLetters.SaveAsync(refused, ct);
            metrics.Accepted(origin, outcome.Stored);
            metrics.Deduplicated(origin, outcome.Duplicates);
            metrics.Rejected(origin, invalid.Count, IngestionMetrics.InvalidReason);
            metrics.Rejected(origin, failed.Count, IngestionMetrics.TrackingPlanReason);
            metrics.Rejected(origin, refused.Count, IngestionMetrics.StoreReason);
            return new TrackingResult.Accepted(outcome.Stored, outcome.Duplicates, invalid.Count + failed.Count + refused.Count, invalid.Count,
                invalid.Count > 0 ? parsed.Errors : null);
        }
        catch (EventsRefusedException ex)
        {
            metrics.Rejected(origin, parsed.Events.Count, IngestionMetrics.StoreReason);
            return new TrackingResult.Refused(ex.Message + ". Events of the request that were stored stay stored; a corrected resend is deduplicated.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new TrackingResult.Unavailable(ex is IngestionOverloadedException ? ex.Message : "The event store is unavailable.");
        }
    }

    /// <summary>
    /// Appends the events; when the store refuses some of a batch taken in part, each is appended alone (what was
    /// stored already is deduplicated) and those it still refuses come back as dead letters.
    /// </summary>
    private async Task<(AppendOutcome Outcome, List<DeadLetter> Refused)> AppendAsync(List<EventAccepted> events, bool inPart, CancellationToken ct)
    {
        if (events.Count == 0) return (AppendOutcome.None, []);
        try
        {
            return (await writer.AppendAsync(events, ct), []);
        }
        catch (EventsRefusedException) when (inPart && events.Count > 1)
        {
            var (stored, duplicates, refused) = (0, 0, new List<DeadLetter>());
            foreach (var e in events)
                try
                {
                    var one = await writer.AppendAsync([e], ct);
                    (stored, duplicates) = (stored + one.Stored, duplicates + one.Duplicates);
                }
                catch (EventsRefusedException refusal)
                {
                    refused.Add(DeadLetter.OfRefusal(e, refusal.Message));
                }
            return (new AppendOutcome(stored, duplicates), refused);
        }
    }
}
