using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.Contracts;
using Personalization.Segmentation.Segments.Discovery;
using Personalization.Segmentation.Segments.Store;
using Personalization.ServiceDefaults;

namespace Personalization.Segmentation.Api;

/// <summary>A segment as its readers see it: what it is and how many are in it.</summary>
public sealed record SegmentCount(string Id, string Kind, string Name, string? Description, int Version, long Members);

/// <summary>Read side of segments, scoped to the tenant of the caller's access token (as the profile API).</summary>
public static class SegmentsApi
{
    public const int DefaultPage = 100;

    public static IEndpointRouteBuilder MapSegmentsApi(this IEndpointRouteBuilder app)
    {
        var segments = app.MapGroup("/api/segments").RequireTenantReader().WithTags("Segments");
        segments.MapGet("/", async (ClaimsPrincipal caller, SegmentStore store, CancellationToken ct) =>
            TypedResults.Ok(await store.ReadableAsync(TenantReaders.TenantOf(caller), segmentId: null, ct))).WithSummary("List the tenant's segments, rule and discovered");
        segments.MapGet("/{segmentId}", GetAsync).WithSummary("Read a segment");
        segments.MapGet("/{segmentId}/members", (string segmentId, string? after, int? limit, ClaimsPrincipal caller, SegmentStore store, SegmentMembers members, CancellationToken ct) =>
            MembersAsync(TenantReaders.TenantOf(caller), segmentId, after, limit, store, members, ct)).WithSummary("A segment's members, a page at a time");
        var profiles = app.MapGroup("/api/profiles").RequireTenantReader().WithTags("Profiles");
        profiles.MapGet("/{userId}/segments", async (string userId, ClaimsPrincipal caller, SegmentMembers members, CancellationToken ct) =>
        {
            var person = StreamKey.ForUser(TenantReaders.TenantOf(caller), userId);
            return TypedResults.Ok(await members.OfPersonAsync(person.TenantId, person.UserKey, ct));
        }).WithSummary("The segments a person is in, since when");
        // A mixture's soft memberships: the person's probability for each of its segments, not only the likeliest.
        profiles.MapGet("/{userId}/segment-probabilities", async (string userId, ClaimsPrincipal caller, DiscoveryStore discovered, CancellationToken ct) =>
        {
            var person = StreamKey.ForUser(TenantReaders.TenantOf(caller), userId);
            return TypedResults.Ok(await discovered.ProbabilitiesAsync(person.TenantId, person.UserKey, ct));
        }).WithSummary("A person's probabilities for the discovered segments");
        return app;
    }

    private static async Task<Results<Ok<SegmentCount>, ProblemHttpResult>> GetAsync(
        string segmentId, ClaimsPrincipal caller, SegmentStore store, SegmentMembers members, CancellationToken ct)
    {
        var tenantId = TenantReaders.TenantOf(caller);
        if (await store.ReadableAsync(tenantId, segmentId, ct) is not [var segment]) return NotFound(segmentId);
        return TypedResults.Ok(new SegmentCount(segment.Id, segment.Kind, segment.Name, segment.Description, segment.Version,
            await members.CountAsync(tenantId, segmentId, ct)));
    }

    /// <summary>A page of a segment's members; the read API's tenant is its caller's, the admin API's the route's.</summary>
    public static async Task<Results<Ok<MembersPage>, ValidationProblem, ProblemHttpResult>> MembersAsync(
        string tenantId, string segmentId, string? after, int? limit, SegmentStore store, SegmentMembers members, CancellationToken ct)
    {
        if (limit is < 1 or > SegmentMembers.MaxPage)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"A page holds 1 to {SegmentMembers.MaxPage} members (default {DefaultPage}); it was {limit}."] });
        if (await store.ReadableAsync(tenantId, segmentId, ct) is []) return NotFound(segmentId);
        return TypedResults.Ok(await members.PageAsync(tenantId, segmentId, after, limit ?? DefaultPage, ct));
    }

    public static ProblemHttpResult NotFound(string segmentId) =>
        TypedResults.Problem(title: "Segment not found", detail: $"This tenant has no segment '{segmentId}'.", statusCode: StatusCodes.Status404NotFound);
}
