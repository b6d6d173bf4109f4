using Personalization.Contracts.Profiles;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.Contracts;
using Personalization.Segmentation.Profiles;
using Personalization.ServiceDefaults;

namespace Personalization.Segmentation.Api;

/// <summary>Read side of per-user state, scoped to the tenant of the caller's access token.</summary>
public static class ProfilesApi
{
    public static IEndpointRouteBuilder MapProfilesApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/profiles")
            .RequireTenantReader()
            .WithTags("Profiles")
            .MapGet("/{userId}", GetProfileAsync).WithSummary("A person's profile");
        return app;
    }

    private static async Task<Results<Ok<CustomerProfile>, ProblemHttpResult>> GetProfileAsync(
        string userId, ClaimsPrincipal caller, CustomerProfiles profiles)
    {
        var tenantId = TenantReaders.TenantOf(caller);
        var profile = await profiles.For(StreamKey.ForUser(tenantId, userId)).GetAsync();
        return profile is null
            ? TypedResults.Problem(title: "Profile not found", detail: $"No events have been recorded for user '{userId}'.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(profile);
    }
}
