using Personalization.Contracts.Profiles;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.Contracts;
using Personalization.Segmentation.Profiles;
using Personalization.Segmentation.Segments.Discovery;
using Personalization.Segmentation.Segments.Store;
using Personalization.ServiceDefaults;

namespace Personalization.Segmentation.Api;

/// <summary>A person as the admin (the console) sees them: the profile, the segments they are in, and their probabilities for the discovered ones.</summary>
public sealed record PersonView(CustomerProfile Profile, IReadOnlyList<PersonSegment> Segments, IReadOnlyList<SegmentProbability> Probabilities);

/// <summary>Read side of per-user state: scoped to the tenant of the caller's access token, or any tenant for the admin.</summary>
public static class ProfilesApi
{
    public static IEndpointRouteBuilder MapProfilesApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/profiles")
            .RequireTenantReader()
            .WithTags("Profiles")
            .MapGet("/{userId}", async Task<Results<Ok<CustomerProfile>, ProblemHttpResult>> (string userId, ClaimsPrincipal caller, CustomerProfiles profiles) =>
                await ProfileAsync(TenantReaders.TenantOf(caller), userId, profiles) is { } profile ? TypedResults.Ok(profile) : NotFound(userId))
            .WithSummary("A person's profile");
        app.MapGet("/admin/tenants/{tenantId}/profiles/{userId}", PersonAsync).RequireAdmin().WithTags("Profiles")
            .WithSummary("A person's profile, their segments and their probabilities for the discovered ones");
        return app;
    }

    private static async Task<Results<Ok<PersonView>, ProblemHttpResult>> PersonAsync(
        string tenantId, string userId, CustomerProfiles profiles, SegmentMembers members, DiscoveryStore discovered, CancellationToken ct)
    {
        if (await ProfileAsync(tenantId, userId, profiles) is not { } profile) return NotFound(userId);
        var person = StreamKey.ForUser(tenantId, userId);
        return TypedResults.Ok(new PersonView(profile, await members.OfPersonAsync(tenantId, person.UserKey, ct),
            await discovered.ProbabilitiesAsync(tenantId, person.UserKey, ct)));
    }

    private static Task<CustomerProfile?> ProfileAsync(string tenantId, string userId, CustomerProfiles profiles) =>
        profiles.For(StreamKey.ForUser(tenantId, userId)).GetAsync();

    private static ProblemHttpResult NotFound(string userId) =>
        TypedResults.Problem(title: "Profile not found", detail: $"No events have been recorded for user '{userId}'.", statusCode: StatusCodes.Status404NotFound);
}
