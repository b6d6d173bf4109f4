using System.Security.Claims;
using System.Text.Json;
using Personalization.Recommendation.Serving;
using Personalization.ServiceDefaults;

namespace Personalization.Recommendation.Api;

/// <summary>
/// The serving API, scoped to the tenant of the caller's read token: a person's recommendations, an item's related
/// items, a cart's. Options come from the query string (GET) or a JSON body (POST); every mistake is a 400 problem.
/// </summary>
public static class RecommendationsApi
{
    public const int MaxCartItems = 100;

    public static IEndpointRouteBuilder MapRecommendationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/recommendations").RequireTenantReader().WithTags("Recommendations");
        api.MapGet("/users/{userId}", (string userId, HttpRequest request, ClaimsPrincipal caller, Recommendations recommendations, RequestResolver resolver, CancellationToken ct) =>
            ForUserAsync(TenantReaders.TenantOf(caller), userId, RequestedOptions.FromQuery(request.Query), recommendations, resolver, ct)).WithSummary("A person's top items")
            .Produces<RecommendationAnswer>(StatusCodes.Status200OK);
        api.MapPost("/users/{userId}", async (string userId, HttpRequest request, ClaimsPrincipal caller, Recommendations recommendations, RequestResolver resolver, CancellationToken ct) =>
            await JsonBody.ReadAsync(request, ct) is { } body
                ? await ForUserAsync(TenantReaders.TenantOf(caller), userId, RequestedOptions.FromJson(body), recommendations, resolver, ct)
                : JsonBody.NotJson()).WithSummary("A person's top items, with the request in the body").AcceptsJson("RecommendationRequest")
            .Produces<RecommendationAnswer>(StatusCodes.Status200OK);
        api.MapGet("/items/{itemId}/related", (string itemId, HttpRequest request, ClaimsPrincipal caller, Recommendations recommendations, RequestResolver resolver, CancellationToken ct) =>
            ForItemsAsync([itemId], AnchorKind.Page, RequestedOptions.FromQuery(request.Query), caller, recommendations, resolver, ct)).WithSummary("Items that go with an item (bought together, similar)")
            .Produces<RecommendationAnswer>(StatusCodes.Status200OK);
        api.MapPost("/cart", CartAsync).WithSummary("Items that go with a cart").AcceptsJson("CartRecommendationRequest")
            .Produces<RecommendationAnswer>(StatusCodes.Status200OK);
        // What a person would be shown, with the reasons, for the admin (the console): not recorded as shown, so looking
        // changes neither their rotation nor any experiment.
        app.MapGet("/admin/tenants/{tenantId}/recommendations/users/{userId}", (string tenantId, string userId, HttpRequest request, Recommendations recommendations,
                RequestResolver resolver, CancellationToken ct) =>
            ForUserAsync(tenantId, userId, RequestedOptions.FromQuery(request.Query), recommendations, resolver, ct, shown: false))
            .RequireAdmin().WithTags("Recommendations").WithSummary("What a person would be shown now, with the reasons (not recorded as shown)")
            .Produces<RecommendationAnswer>(StatusCodes.Status200OK);
        return app;
    }

    private static async Task<IResult> ForUserAsync(string tenant, string userId, RequestedOptions.Validated validated,
        Recommendations recommendations, RequestResolver resolver, CancellationToken ct, bool shown = true)
    {
        var (options, rules, problem) = await resolver.ResolveAsync(tenant, validated, shown ? userId : null, ct);
        return problem ?? Answer(tenant, options!, await recommendations.ForUserAsync(tenant, userId, options!, rules, ct, shown));
    }

    private static async Task<IResult> ForItemsAsync(IReadOnlyList<string> itemIds, AnchorKind kind, RequestedOptions.Validated validated,
        ClaimsPrincipal caller, Recommendations recommendations, RequestResolver resolver, CancellationToken ct)
    {
        var tenant = TenantReaders.TenantOf(caller);
        var (options, rules, problem) = await resolver.ResolveAsync(tenant, validated, null, ct);
        return problem ?? Answer(tenant, options!, await recommendations.ForItemsAsync(tenant, itemIds, kind, options!, rules, ct));
    }

    /// <summary><c>{"items": ["sku-1", "sku-2"], ...options}</c>: items that go with the cart's.</summary>
    private static async Task<IResult> CartAsync(HttpRequest request, ClaimsPrincipal caller, Recommendations recommendations, RequestResolver resolver,
        CancellationToken ct)
    {
        if (await JsonBody.ReadAsync(request, ct) is not { } body) return JsonBody.NotJson();
        var items = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("items", out var list) && list.ValueKind == JsonValueKind.Array
            && list.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String && e.GetString()!.Length > 0)
                ? list.EnumerateArray().Select(e => e.GetString()!).Distinct(StringComparer.Ordinal).ToList()
                : null;
        if (items is not { Count: > 0 and <= MaxCartItems })
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["items"] = [$"'items' must be an array of 1 to {MaxCartItems} item ids (strings), the items in the cart."],
            });
        return await ForItemsAsync(items, AnchorKind.InCart, RequestedOptions.FromJson(body), caller, recommendations, resolver, ct);
    }

    /// <summary>The answer; without one, a version asked for by name that is not stored (400), else no model yet (503).</summary>
    private static IResult Answer(string tenant, RecommendationOptions options, RecommendationAnswer? answer) =>
        answer is not null ? TypedResults.Ok(answer)
        : options.ModelVersion is { } version ? ServingRequest.UnknownVersion(tenant, version)
        : TypedResults.Problem(title: "No model is served for this tenant yet",
            detail: $"Tenant '{tenant}' has no active model version on this replica: train one (POST /admin/tenants/{tenant}/models/train) and try again.",
            statusCode: StatusCodes.Status503ServiceUnavailable);
}
