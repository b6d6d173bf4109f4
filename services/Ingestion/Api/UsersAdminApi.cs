using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.Ingestion.Identity;

namespace Personalization.Ingestion.Api;

/// <summary>Finding people: by the start of their user id, or a trait value such as an email.</summary>
public static class UsersAdminApi
{
    public static IEndpointRouteBuilder MapUsersAdminApi(this IEndpointRouteBuilder app)
    {
        app.MapTenantAdminGroup().WithTags("Privacy").MapGet("/users", SearchAsync)
            .WithSummary($"Find people whose user id starts with the query, or with a trait equal to it (limit 1 to {UserSearch.MaxResults}, 20 unless given)");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<UserMatch>>, ValidationProblem>> SearchAsync(
        string tenantId, string? query, int? limit, UserSearch search, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(query)) errors["query"] = ["Give the start of a user id, or a trait value such as an email."];
        if (limit is < 1 or > UserSearch.MaxResults) errors["limit"] = [$"Give 1 to {UserSearch.MaxResults}; it was {limit}."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(await search.FindAsync(tenantId, query!.Trim(), limit ?? 20, ct));
    }
}
