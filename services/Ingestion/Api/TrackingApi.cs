using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.Contracts;
using Personalization.Ingestion.Auth;
using Personalization.Ingestion.CloudEvents;
using Personalization.Ingestion.Pipeline;
using Personalization.Ingestion.RateLimiting;
using Personalization.Ingestion.Validation;
using Personalization.ServiceDefaults;

namespace Personalization.Ingestion.Api;

/// <summary>The Segment HTTP tracking API (<c>/v1/batch</c> and one route per call type), and CloudEvents.</summary>
public static class TrackingApi
{
    public sealed record TrackingServices(RequestBodyReader BodyReader, TrackingPipeline Pipeline, TimeProvider Clock);

    public static IEndpointRouteBuilder MapTrackingApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1")
            .RequireAuthorization(policy => policy.AddAuthenticationSchemes(WriteKeyAuthentication.SchemeName).RequireAuthenticatedUser())
            .RequireRateLimiting(WriteKeyRateLimits.Policy)
            .WithTags("Tracking");

        v1.MapPost("/batch", (HttpContext http, [AsParameters] TrackingServices services, CancellationToken ct) =>
            IngestAsync(http, services, SegmentMessageParser.ParseBatch, ct)).WithSummary("Track a batch of calls (Segment's batch API); valid calls are stored and invalid ones dead-lettered, per index")
            .AcceptsJson("SegmentBatch");

        // CloudEvents, the native format: structured, binary (ce-* headers) and batch mode.
        v1.MapPost("/cloudevents", (HttpContext http, [AsParameters] TrackingServices services, CancellationToken ct) =>
            IngestAsync(http, services, (body, origin) => CloudEventsTranslator.Parse(http.Request.ContentType, http.Request.Headers, body, origin), ct)).WithSummary("Track CloudEvents (structured or batched JSON)")
            .AcceptsJson("CloudEvent", "application/cloudevents+json").AcceptsJson("CloudEventBatch", "application/cloudevents-batch+json");

        foreach (var type in EventTypes.All)
            v1.MapPost("/" + type, (HttpContext http, [AsParameters] TrackingServices services, CancellationToken ct) =>
                IngestAsync(http, services, (body, origin) => SegmentMessageParser.ParseSingle(body, type, origin), ct))
                .WithSummary($"Track one {type} call (Segment's HTTP API)").AcceptsJson($"{char.ToUpperInvariant(type[0])}{type[1..]}Message");

        return app;
    }

    /// <summary>One request: its body read and parsed here, then through <see cref="TrackingPipeline"/>, and its result answered.</summary>
    private static async Task<Results<Ok<TrackingResult.Accepted>, ValidationProblem, ProblemHttpResult>> IngestAsync(
        HttpContext http, TrackingServices services, Func<ReadOnlyMemory<byte>, EventOrigin, ParseResult> parse, CancellationToken ct)
    {
        var body = await services.BodyReader.ReadAsync(http.Request, ct);
        if (body.Error is not null)
            return TypedResults.Problem(title: "The request body was rejected; nothing was stored.", detail: body.Error, statusCode: body.StatusCode);

        var origin = WriteKeyAuthentication.OriginOf(http.User, services.Clock.GetUtcNow());
        var result = await services.Pipeline.RunAsync(parse(body.Body, origin), origin, ct);
        // 503 makes Segment and Rudder SDKs retry the same batch; dedup keeps the retry harmless.
        if (result is TrackingResult.Unavailable)
            http.Response.Headers.RetryAfter = "1";
        return result switch
        {
            TrackingResult.Accepted accepted => TypedResults.Ok(accepted),
            TrackingResult.Rejected rejected => TypedResults.ValidationProblem(rejected.Errors, title: "The request was rejected; nothing was stored."),
            // Resending the same data cannot succeed, so this is a 400, not a 503 the SDKs would retry.
            TrackingResult.Refused refused => TypedResults.Problem(
                title: "The event store refused this request's data.", detail: refused.Detail, statusCode: StatusCodes.Status400BadRequest),
            TrackingResult.Unavailable unavailable => TypedResults.Problem(
                title: "The events could not be stored right now; retry the same request.", detail: unavailable.Detail,
                statusCode: StatusCodes.Status503ServiceUnavailable),
            _ => throw new UnreachableException(),
        };
    }
}
