using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Personalization.Ingestion.Relay;
using Personalization.Ingestion.Storage;

namespace Personalization.Ingestion.Api;

/// <param name="People">The tenant's people: one per user id or unmerged anonymous id (the log's streams).</param>
/// <param name="RelayLag">Events of every tenant stored but not yet published by the relay.</param>
/// <param name="Events">Events the tenant stored in each interval, oldest first.</param>
public sealed record IngestionOverview(DateTimeOffset At, long People, long RelayLag, int IntervalSeconds, IReadOnlyList<EventCount> Events);

/// <summary>The numbers of the console's overview that Ingestion holds: stored events over time, people, relay lag.</summary>
public static class OverviewAdminApi
{
    public const int Intervals = 60;
    public const int MaxHours = 24 * 30;

    public static IEndpointRouteBuilder MapOverviewAdminApi(this IEndpointRouteBuilder app)
    {
        app.MapTenantAdminGroup().WithTags("Admin").MapGet("/overview", OverviewAsync)
            .WithSummary($"Stored events in {Intervals} intervals of the last hours (1 to {MaxHours}, 1 unless given), the tenant's people and the relay's lag");
        return app;
    }

    private static async Task<Results<Ok<IngestionOverview>, ValidationProblem>> OverviewAsync(
        string tenantId, int? hours, NpgsqlDataSource database, TimeProvider clock, CancellationToken ct)
    {
        if (hours is < 1 or > MaxHours)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["hours"] = [$"Give 1 to {MaxHours} hours; it was {hours}."] });
        var now = clock.GetUtcNow();
        var span = TimeSpan.FromHours(hours ?? 1);
        var events = await EventCounts.ReadAsync(database, tenantId, now, span, Intervals, ct);
        await using var people = database.CreateCommand($"select count(*) from {IngestionStore.Schema}.mt_streams where starts_with(id, $1)");
        people.Parameters.AddWithValue(tenantId + "/");
        var (stored, published) = await RelayLag.ReadAsync(database, ct);
        return TypedResults.Ok(new IngestionOverview(now, (long)(await people.ExecuteScalarAsync(ct))!, Math.Max(0, stored - published),
            (int)(span / Intervals).TotalSeconds, events));
    }
}
