using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.Segmentation.Segments.Store;
using Personalization.ServiceDefaults;

namespace Personalization.Segmentation.Api;

/// <summary>What the read API tells a tenant's token about a segment, for the admin (the console): its members and its size over time.</summary>
public static class SegmentMembersAdminApi
{
    public const int MaxHours = 24 * 90;

    public static IEndpointRouteBuilder MapSegmentMembersAdminApi(this IEndpointRouteBuilder app)
    {
        var segments = app.MapGroup("/admin/tenants/{tenantId}/segments/{segmentId}").RequireAdmin().WithTags("Segments");
        segments.MapGet("/members", (string tenantId, string segmentId, string? after, int? limit, SegmentStore store, SegmentMembers members, CancellationToken ct) =>
            SegmentsApi.MembersAsync(tenantId, segmentId, after, limit, store, members, ct)).WithSummary("A segment's members, a page at a time (rule or discovered)");
        segments.MapGet("/size", SizeAsync).WithSummary($"A segment's members now and at {SegmentSizeHistory.Points} points over the last hours (1 to {MaxHours}, 24 unless given)");
        return app;
    }

    private static async Task<Results<Ok<SegmentSize>, ValidationProblem, ProblemHttpResult>> SizeAsync(
        string tenantId, string segmentId, int? hours, SegmentStore store, SegmentSizeHistory sizes, CancellationToken ct)
    {
        if (hours is < 1 or > MaxHours)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["hours"] = [$"Give 1 to {MaxHours} hours; it was {hours}."] });
        if (await store.ReadableAsync(tenantId, segmentId, ct) is []) return SegmentsApi.NotFound(segmentId);
        return TypedResults.Ok(await sizes.ReadAsync(tenantId, segmentId, TimeSpan.FromHours(hours ?? 24), ct));
    }
}
