using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Personalization.Contracts;
using Personalization.Segmentation.Profiles;

namespace Personalization.Segmentation.Api;

/// <summary>Read side of per-user state. Every read is scoped to the tenant named in the X-Tenant-Id header.</summary>
public static class ProfilesApi
{
    public const string TenantHeader = "X-Tenant-Id";

    public static IEndpointRouteBuilder MapProfilesApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/profiles").WithTags("Profiles").MapGet("/{userId}", GetProfileAsync);
        return app;
    }

    private static async Task<Results<Ok<CustomerProfile>, ProblemHttpResult>> GetProfileAsync(
        string userId, [FromHeader(Name = TenantHeader)] string? tenantId, CustomerProfiles profiles)
    {
        if (string.IsNullOrWhiteSpace(tenantId))
            return TypedResults.Problem(title: "Tenant missing", detail: $"Send the tenant id in the {TenantHeader} header.", statusCode: StatusCodes.Status400BadRequest);

        var profile = await profiles.For(StreamKey.ForUser(tenantId, userId)).GetAsync();
        return profile is null
            ? TypedResults.Problem(title: "Profile not found", detail: $"No events have been recorded for user '{userId}'.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(profile);
    }
}
