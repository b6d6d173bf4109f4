using System.Security.Claims;
using System.Text.Json;
using Personalization.Recommendation.Serving;
using Personalization.Recommendation.Serving.Rules;
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
        api.MapGet("/users/{userId}", (string userId, HttpRequest request, ClaimsPrincipal caller, Recommendations recommendations, CancellationToken ct) =>
            ForUserAsync(userId, RecommendationOptions.FromQuery(request.Query), caller, recommendations, ct));
        api.MapPost("/users/{userId}", async (string userId, HttpRequest request, ClaimsPrincipal caller, Recommendations recommendations, CancellationToken ct) =>
            await ReadBodyAsync(request, ct) is { } body
                ? await ForUserAsync(userId, RecommendationOptions.FromJson(body), caller, recommendations, ct)
                : NotJson());
        api.MapGet("/items/{itemId}/related", (string itemId, HttpRequest request, ClaimsPrincipal caller, Recommendations recommendations, CancellationToken ct) =>
            ForItemsAsync([itemId], AnchorKind.Page, RecommendationOptions.FromQuery(request.Query), caller, recommendations, ct));
        api.MapPost("/cart", CartAsync);
        return app;
    }

    private static async Task<IResult> ForUserAsync(string userId, RecommendationOptions.Validated validated, ClaimsPrincipal caller,
        Recommendations recommendations, CancellationToken ct)
    {
        if (Check(validated, out var options, out var rules) is { } problem) return problem;
        var tenant = TenantReaders.TenantOf(caller);
        return Answer(tenant, await recommendations.ForUserAsync(tenant, userId, options, rules, ct));
    }

    private static async Task<IResult> ForItemsAsync(IReadOnlyList<string> itemIds, AnchorKind kind, RecommendationOptions.Validated validated,
        ClaimsPrincipal caller, Recommendations recommendations, CancellationToken ct)
    {
        if (Check(validated, out var options, out var rules) is { } problem) return problem;
        var tenant = TenantReaders.TenantOf(caller);
        return Answer(tenant, await recommendations.ForItemsAsync(tenant, itemIds, kind, options, rules, ct));
    }

    /// <summary><c>{"items": ["sku-1", "sku-2"], ...options}</c>: items that go with the cart's.</summary>
    private static async Task<IResult> CartAsync(HttpRequest request, ClaimsPrincipal caller, Recommendations recommendations, CancellationToken ct)
    {
        if (await ReadBodyAsync(request, ct) is not { } body) return NotJson();
        var items = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("items", out var list) && list.ValueKind == JsonValueKind.Array
            && list.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String && e.GetString()!.Length > 0)
                ? list.EnumerateArray().Select(e => e.GetString()!).Distinct(StringComparer.Ordinal).ToList()
                : null;
        if (items is not { Count: > 0 and <= MaxCartItems })
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["items"] = [$"'items' must be an array of 1 to {MaxCartItems} item ids (strings), the items in the cart."],
            });
        return await ForItemsAsync(items, AnchorKind.InCart, RecommendationOptions.FromJson(body), caller, recommendations, ct);
    }

    /// <summary>A problem for invalid options, unknown scenarios and invalid rules; null when the request is good.</summary>
    private static IResult? Check(RecommendationOptions.Validated validated, out RecommendationOptions options, out ItemRules rules)
    {
        (options, rules) = (validated.Options!, ItemRules.None);
        if (validated.Options is null) return TypedResults.ValidationProblem(validated.Errors, title: "The request's options are not valid");
        if (options.Scenario is { } scenario)
            return TypedResults.Problem(title: "Unknown scenario", detail: $"There is no scenario '{scenario}' for this tenant.",
                statusCode: StatusCodes.Status400BadRequest);
        string parameter = "filter", text = options.Filter ?? "";
        try
        {
            var filter = options.Filter is null ? null : RuleParser.ParseCondition(options.Filter);
            (parameter, text) = ("boost", options.Boost ?? "");
            rules = new ItemRules(filter, options.Boost is null ? [] : RuleParser.ParseBoosts(options.Boost));
            return null;
        }
        catch (RuleSyntaxException ex)
        {
            return TypedResults.Problem(title: $"The {parameter} is not valid", detail: $"At position {ex.Position}: {ex.Message}.",
                statusCode: StatusCodes.Status400BadRequest,
                extensions: new Dictionary<string, object?> { ["parameter"] = parameter, ["position"] = ex.Position, ["expression"] = text });
        }
    }

    private static IResult Answer(string tenant, RecommendationAnswer? answer) =>
        answer is null
            ? TypedResults.Problem(title: "No model is served for this tenant yet",
                detail: $"Tenant '{tenant}' has no active model version on this replica: train one (POST /admin/tenants/{tenant}/models/train) and try again.",
                statusCode: StatusCodes.Status503ServiceUnavailable)
            : TypedResults.Ok(answer);

    /// <summary>The JSON body (an empty one is <c>{}</c>), or null when it is not JSON.</summary>
    private static async Task<JsonElement?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(ct);
        if (string.IsNullOrWhiteSpace(text)) text = "{}";
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IResult NotJson() =>
        TypedResults.Problem(title: "The body is not JSON", detail: "Send the options as a JSON object (or no body for the defaults).",
            statusCode: StatusCodes.Status400BadRequest);
}
