using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Personalization.Recommendation.Attribution;
using Personalization.ServiceDefaults;

namespace Personalization.Recommendation.Api;

/// <summary>
/// What recommendations did, from the tracking events that came back: per scenario, model version, variant and day,
/// impressions, clicks, CTR, conversions and revenue; and a rebuild of those figures from the event log.
/// </summary>
public static class AttributionAdminApi
{
    public const int MaxDays = 366;

    public static IEndpointRouteBuilder MapAttributionAdminApi(this IEndpointRouteBuilder app)
    {
        var stats = app.MapGroup("/admin/tenants/{tenantId}/recommendations/stats").RequireAdmin().WithTags("Attribution");
        stats.MapGet("/", StatsAsync).WithSummary("Attributed clicks, conversions and revenue by placement, model version and variant");
        stats.MapPost("/rebuild", (string tenantId, AttributionRebuild rebuild) =>
            TypedResults.Accepted($"/admin/tenants/{tenantId}/recommendations/stats/rebuild", rebuild.Start(tenantId))).WithSummary("Start rebuilding the tenant's attribution from the event log");
        stats.MapGet("/rebuild", Results<Ok<RebuildStatus>, ProblemHttpResult> (string tenantId, AttributionRebuild rebuild) =>
            rebuild.StatusOf(tenantId) is { } status
                ? TypedResults.Ok(status)
                : TypedResults.Problem(title: "No rebuild", detail: $"No rebuild of tenant '{tenantId}' has run on this replica since it started.",
                    statusCode: StatusCodes.Status404NotFound)).WithSummary("How the attribution rebuild stands");
        return app;
    }

    /// <summary><c>?from=2026-11-01&amp;to=2026-11-30&amp;scenario=homepage</c>: days in UTC, the last 30 by default.</summary>
    private static async Task<Results<Ok<AttributionStats>, ValidationProblem>> StatsAsync(string tenantId, string? from, string? to, string? scenario,
        AttributionStore store, IOptions<AttributionSettings> settings, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var last = Day(to, "to", errors) ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var first = Day(from, "from", errors) ?? last.AddDays(-29);
        if (errors.Count == 0 && (first > last || last.DayNumber - first.DayNumber >= MaxDays))
            errors["from"] = [$"'from' must be on or before 'to', and at most {MaxDays} days before it."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The period is not valid");
        var window = settings.Value.Window;
        return TypedResults.Ok(new AttributionStats(tenantId, first, last, window,
            await store.DailyAsync(tenantId, window, first, last, string.IsNullOrWhiteSpace(scenario) ? null : scenario, ct)));
    }

    private static DateOnly? Day(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return day;
        errors[field] = [$"'{field}' must be a day as yyyy-MM-dd; it was '{text}'."];
        return null;
    }
}
