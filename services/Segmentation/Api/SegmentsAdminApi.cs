using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.Contracts;
using Personalization.Segmentation.Segments;
using Personalization.Segmentation.Segments.CatchUp;
using Personalization.Segmentation.Segments.Definitions;
using Personalization.Segmentation.Segments.Preview;
using Personalization.Segmentation.Segments.Store;
using Personalization.ServiceDefaults;

namespace Personalization.Segmentation.Api;

/// <summary>A tenant's rule segments through the admin API: versioned definitions, each change a new version, every version kept.</summary>
public static class SegmentsAdminApi
{
    public static IEndpointRouteBuilder MapSegmentsAdminApi(this IEndpointRouteBuilder app)
    {
        var segments = app.MapGroup("/admin/tenants/{tenantId}/segments").RequireAdmin().WithTags("Segments");
        segments.MapGet("/", async (string tenantId, SegmentStore store, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(tenantId, ct))).WithSummary("List the tenant's rule segments");
        // Put and preview also answer JsonBody.NotJson (an IResult), so their successes are declared here.
        segments.MapPut("/{segmentId}", PutAsync).WithSummary("Define or change a rule segment (a new version; members are caught up)").AcceptsJson("SegmentRequest")
            .Produces<SegmentDetails>(StatusCodes.Status201Created).Produces<SegmentDetails>(StatusCodes.Status200OK);
        segments.MapPost("/preview", PreviewAsync).WithSummary("Estimate a draft segment's size from a sample of profiles, before it is saved").AcceptsJson("SegmentPreviewRequest")
            .Produces<PreviewEstimate>(StatusCodes.Status200OK);
        segments.MapGet("/{segmentId}", async Task<Results<Ok<SegmentDetails>, ProblemHttpResult>> (string tenantId, string segmentId, SegmentStore store, CatchUpRuns runs, CancellationToken ct) =>
            await store.GetAsync(tenantId, segmentId, ct) is { } details
                ? TypedResults.Ok(details with { CatchUp = await runs.GetAsync(tenantId, ct) })
                : NotFound(tenantId, segmentId)).WithSummary("Read a rule segment and its catch-up run");
        segments.MapGet("/{segmentId}/versions/{version:int}", async Task<Results<Ok<SegmentVersion>, ProblemHttpResult>> (string tenantId, string segmentId, int version, SegmentStore store, CancellationToken ct) =>
            await store.GetVersionAsync(tenantId, segmentId, version, ct) is { } saved
                ? TypedResults.Ok(saved)
                : TypedResults.Problem(title: "Version not found", detail: $"Segment '{segmentId}' of tenant '{tenantId}' has no version {version}.", statusCode: StatusCodes.Status404NotFound)).WithSummary("Read one version of a rule segment");
        segments.MapDelete("/{segmentId}", DeleteAsync).WithSummary("Delete a rule segment");
        return app;
    }

    private static async Task<IResult> PutAsync(string tenantId, string segmentId, HttpRequest request, SegmentStore store, TenantSegments live, CatchUpRuns runs, CancellationToken ct)
    {
        if (!DefinitionIds.IsValid(segmentId))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["segmentId"] = [$"A segment id is {DefinitionIds.Rule}; it was '{segmentId}'."] });
        if (await JsonBody.ReadAsync(request, ct) is not { } body) return JsonBody.NotJson();
        var (parsed, errors) = DefinitionParser.Parse(body);
        if (parsed is null) return Invalid(errors);
        var saved = await store.SaveAsync(tenantId, segmentId, parsed, ct);
        if (saved.Outcome == SaveOutcome.Invalid) return Invalid(saved.Errors);
        if (saved.Outcome != SaveOutcome.Unchanged)
        {
            live.Forget(tenantId);
            // The new version runs live at once; existing profiles are judged by it in the background.
            await runs.RequestAsync(tenantId, ct);
        }
        var details = await store.GetAsync(tenantId, segmentId, ct) is { } stored ? stored with { CatchUp = await runs.GetAsync(tenantId, ct) } : null;
        return saved.Outcome == SaveOutcome.Created
            ? TypedResults.Created($"/admin/tenants/{tenantId}/segments/{segmentId}", details)
            : TypedResults.Ok(details);
    }

    /// <summary>A draft's size on current profiles, estimated from a random sample, before it is saved.</summary>
    private static async Task<IResult> PreviewAsync(string tenantId, int? sample, HttpRequest request, SegmentStore store, SegmentPreviewer previewer, CancellationToken ct)
    {
        if (sample is < 1 or > SegmentPreviewer.MaxSample)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["sample"] = [$"A preview samples 1 to {SegmentPreviewer.MaxSample} people (default {SegmentPreviewer.DefaultSample}); it was {sample}."],
            });
        if (await JsonBody.ReadAsync(request, ct) is not { } body) return JsonBody.NotJson();
        var (parsed, errors) = DefinitionParser.Parse(body);
        if (parsed is null) return Invalid(errors);
        var live = (await store.LiveAsync(tenantId, ct)).ToDictionary(s => s.Id, s => s.Parsed, StringComparer.Ordinal);
        errors = SegmentGraph.Check(SegmentDraft.Id, parsed, live);
        if (errors.Count > 0) return Invalid(errors);
        return TypedResults.Ok(await previewer.EstimateAsync(tenantId, body, sample ?? SegmentPreviewer.DefaultSample, ct));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string tenantId, string segmentId, SegmentStore store, TenantSegments live, CatchUpRuns runs, CancellationToken ct)
    {
        var (found, referredBy) = await store.DeleteAsync(tenantId, segmentId, ct);
        if (!found) return NotFound(tenantId, segmentId);
        if (referredBy.Count > 0)
            return TypedResults.Problem(title: "Segment in use",
                detail: $"Segments {string.Join(", ", referredBy.Select(id => $"'{id}'"))} refer to '{segmentId}': change them first.",
                statusCode: StatusCodes.Status409Conflict);
        live.Forget(tenantId);
        await runs.RequestAsync(tenantId, ct);
        return TypedResults.NoContent();
    }

    private static ValidationProblem Invalid(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The segment definition is not valid",
            detail: "Each entry names the JSON path of a fault in the definition; the grammar is in the Segmentation README.");

    private static ProblemHttpResult NotFound(string tenantId, string segmentId) =>
        TypedResults.Problem(title: "Segment not found", detail: $"Tenant '{tenantId}' has no segment '{segmentId}'.", statusCode: StatusCodes.Status404NotFound);
}
