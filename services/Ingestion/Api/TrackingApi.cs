using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.Contracts;
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
    /// <summary>Segment SDKs read only <c>success</c>; the counts help people debugging a source.</summary>
    public sealed record Accepted(bool Success, int Stored, int Duplicates, int DeadLettered);

    public sealed record TrackingServices(
        RequestBodyReader BodyReader, IdentityResolver Identities, EventScreening Screening, ConsentDirectory Consents, TrackingPlanRegistry Plans, DeadLetters DeadLetters, GroupCommitWriter Writer, IngestionMetrics Metrics, TimeProvider Clock);

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

    private static async Task<Results<Ok<Accepted>, ValidationProblem, ProblemHttpResult>> IngestAsync(
        HttpContext http, TrackingServices services, Func<ReadOnlyMemory<byte>, EventOrigin, ParseResult> parse, CancellationToken ct)
    {
        var body = await services.BodyReader.ReadAsync(http.Request, ct);
        if (body.Error is not null)
            return TypedResults.Problem(title: "The request body was rejected; nothing was stored.", detail: body.Error, statusCode: body.StatusCode);

        var origin = WriteKeyAuthentication.OriginOf(http.User, services.Clock.GetUtcNow());
        var parsed = parse(body.Body, origin);
        if (!parsed.IsValid)
        {
            services.Metrics.Rejected(origin, parsed.Errors.Count, IngestionMetrics.InvalidReason);
            return TypedResults.ValidationProblem(parsed.Errors, title: "The request was rejected; nothing was stored.");
        }

        try
        {
            // Events that break their tracking plan are kept as dead letters, durably, before the answer.
            var resolved = await services.Identities.ResolveAsync(parsed.Events, ct);
            var screened = await services.Consents.FlagWithdrawnAsync(services.Screening.Screen(resolved), ct);
            var (passed, failed) = await services.Plans.SplitAsync(screened, ct);
            await services.DeadLetters.SaveAsync(failed, ct);
            var outcome = passed.Count > 0 ? await services.Writer.AppendAsync(passed, ct) : new AppendOutcome(0, 0);
            services.Metrics.Accepted(origin, outcome.Stored);
            services.Metrics.Deduplicated(origin, outcome.Duplicates);
            services.Metrics.Rejected(origin, failed.Count, IngestionMetrics.TrackingPlanReason);
            return TypedResults.Ok(new Accepted(true, outcome.Stored, outcome.Duplicates, failed.Count));
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
}
