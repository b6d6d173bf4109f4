using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.Contracts;
using Personalization.Contracts.EventLog;
using Personalization.Ingestion.Sources;
using Personalization.Ingestion.Auth;
using Personalization.Ingestion.CloudEvents;
using Personalization.Ingestion.Identity;
using Personalization.Ingestion.Metrics;
using Personalization.Ingestion.Privacy;
using Personalization.Ingestion.RateLimiting;
using Personalization.Ingestion.Screening;
using Personalization.Ingestion.Storage;
using Personalization.Ingestion.TrackingPlans;
using Personalization.Ingestion.Validation;

namespace Personalization.Ingestion.Api;

/// <summary>The Segment HTTP tracking API (<c>/v1/batch</c> and one route per call type), and CloudEvents.</summary>
public static class TrackingApi
{
    /// <summary>
    /// Segment SDKs read only <c>success</c>; the counts help people debugging a source. <see cref="Invalid"/> counts
    /// the messages of the batch that were not valid calls (dead-lettered with their <see cref="Errors"/> by path).
    /// </summary>
    public sealed record Accepted(bool Success, int Stored, int Duplicates, int DeadLettered, int Invalid = 0, IDictionary<string, string[]>? Errors = null);

    public sealed record TrackingServices(
        RequestBodyReader BodyReader, IdentityResolver Identities, EventScreening Screening, ConsentDirectory Consents, TrackingPlanRegistry Plans,
        DeadLetters DeadLetters, GroupCommitWriter Writer, SourceSettings Sources, IngestionMetrics Metrics, TimeProvider Clock);

    public static IEndpointRouteBuilder MapTrackingApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1")
            .RequireAuthorization(policy => policy.AddAuthenticationSchemes(WriteKeyAuthentication.SchemeName).RequireAuthenticatedUser())
            .RequireRateLimiting(WriteKeyRateLimits.Policy)
            .WithTags("Tracking");

        v1.MapPost("/batch", (HttpContext http, [AsParameters] TrackingServices services, CancellationToken ct) =>
            IngestAsync(http, services, SegmentMessageParser.ParseBatch, ct));

        // CloudEvents, the native format: structured, binary (ce-* headers) and batch mode.
        v1.MapPost("/cloudevents", (HttpContext http, [AsParameters] TrackingServices services, CancellationToken ct) =>
            IngestAsync(http, services, (body, origin) => CloudEventsTranslator.Parse(http.Request.ContentType, http.Request.Headers, body, origin), ct));

        foreach (var type in EventTypes.All)
            v1.MapPost("/" + type, (HttpContext http, [AsParameters] TrackingServices services, CancellationToken ct) =>
                IngestAsync(http, services, (body, origin) => SegmentMessageParser.ParseSingle(body, type, origin), ct));

        return app;
    }

    /// <summary>
    /// One request through the pipeline. A well-formed batch is taken in part unless its source is strict: its valid
    /// messages are stored, and each invalid one, each that breaks its tracking plan and each the event store refuses
    /// is dead-lettered (durably, before the answer) with its reasons; the answer is then a 200 with the counts and
    /// the errors by path. Anything else is all or nothing.
    /// </summary>
    private static async Task<Results<Ok<Accepted>, ValidationProblem, ProblemHttpResult>> IngestAsync(
        HttpContext http, TrackingServices services, Func<ReadOnlyMemory<byte>, EventOrigin, ParseResult> parse, CancellationToken ct)
    {
        var body = await services.BodyReader.ReadAsync(http.Request, ct);
        if (body.Error is not null)
            return TypedResults.Problem(title: "The request body was rejected; nothing was stored.", detail: body.Error, statusCode: body.StatusCode);

        var origin = WriteKeyAuthentication.OriginOf(http.User, services.Clock.GetUtcNow());
        var parsed = parse(body.Body, origin);
        var inPart = parsed.Invalid is not null && !await services.Sources.IsStrictAsync(origin.TenantId, origin.SourceId, ct);
        if (!parsed.IsValid && !(inPart && parsed.CanTakeInPart))
        {
            services.Metrics.Rejected(origin, parsed.Errors.Count, IngestionMetrics.InvalidReason);
            return TypedResults.ValidationProblem(parsed.Errors, title: "The request was rejected; nothing was stored.");
        }

        try
        {
            var invalid = parsed.Invalid?.Select(m => DeadLetter.OfInvalid(m, origin)).ToList() ?? [];
            var resolved = await services.Identities.ResolveAsync(parsed.Events, ct);
            var screened = await services.Consents.FlagWithdrawnAsync(services.Screening.Screen(resolved), ct);
            var (passed, failed) = await services.Plans.SplitAsync(screened, ct);
            await services.DeadLetters.SaveAsync([.. invalid, .. failed], ct);
            var (outcome, refused) = await AppendAsync(services, passed, inPart, ct);
            await services.DeadLetters.SaveAsync(refused, ct);
            services.Metrics.Accepted(origin, outcome.Stored);
            services.Metrics.Deduplicated(origin, outcome.Duplicates);
            services.Metrics.Rejected(origin, invalid.Count, IngestionMetrics.InvalidReason);
            services.Metrics.Rejected(origin, failed.Count, IngestionMetrics.TrackingPlanReason);
            services.Metrics.Rejected(origin, refused.Count, IngestionMetrics.StoreReason);
            return TypedResults.Ok(new Accepted(true, outcome.Stored, outcome.Duplicates, invalid.Count + failed.Count + refused.Count, invalid.Count,
                invalid.Count > 0 ? parsed.Errors : null));
        }
        catch (EventsRefusedException ex)
        {
            // Resending the same data cannot succeed, so this is a 400, not a 503 the SDKs would retry.
            services.Metrics.Rejected(origin, parsed.Events.Count, IngestionMetrics.StoreReason);
            return TypedResults.Problem(
                title: "The event store refused this request's data.",
                detail: ex.Message + ". Events of the request that were stored stay stored; a corrected resend is deduplicated.",
                statusCode: StatusCodes.Status400BadRequest);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // 503 makes Segment and Rudder SDKs retry the same batch; dedup keeps the retry harmless.
            http.Response.Headers.RetryAfter = "1";
            return TypedResults.Problem(
                title: "The events could not be stored right now; retry the same request.",
                detail: ex is IngestionOverloadedException ? ex.Message : "The event store is unavailable.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary>
    /// Appends the events; when the store refuses some of a batch taken in part, each is appended alone (what was
    /// stored already is deduplicated) and those it still refuses come back as dead letters.
    /// </summary>
    private static async Task<(AppendOutcome Outcome, List<DeadLetter> Refused)> AppendAsync(
        TrackingServices services, List<EventAccepted> events, bool inPart, CancellationToken ct)
    {
        if (events.Count == 0) return (new AppendOutcome(0, 0), []);
        try
        {
            return (await services.Writer.AppendAsync(events, ct), []);
        }
        catch (EventsRefusedException) when (inPart && events.Count > 1)
        {
            var (stored, duplicates, refused) = (0, 0, new List<DeadLetter>());
            foreach (var e in events)
                try
                {
                    var one = await services.Writer.AppendAsync([e], ct);
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
