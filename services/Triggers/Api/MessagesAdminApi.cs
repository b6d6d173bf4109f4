using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.ServiceDefaults;
using Personalization.Triggers.Delivery;

namespace Personalization.Triggers.Api;

/// <summary>The message log: what journeys queued, sent, skipped or are still trying, by journey or by person.</summary>
public static class MessagesAdminApi
{
    public static IEndpointRouteBuilder MapMessagesAdminApi(this IEndpointRouteBuilder app)
    {
        var messages = app.MapGroup("/admin/tenants/{tenantId}/messages").RequireAdmin().WithTags("Messages");
        messages.MapGet("/", async (string tenantId, string? journeyId, string? userId, int? limit, MessageLog log, CancellationToken ct) =>
                TypedResults.Ok(await log.ReadAsync(tenantId, journeyId, userId, limit ?? 100, ct)))
            .WithSummary($"The tenant's messages, the newest first, optionally of one journey or one person (limit: 1 to {MessageLog.MaxLimit}, 100 unless given)");
        messages.MapGet("/stats", StatsAsync)
            .WithSummary($"Sends, opens and clicks per channel, sends in {MessageStatsReader.Intervals} intervals, and journey entries and conversions, over the last hours (1 to {MaxHours}, 1 unless given)");
        return app;
    }

    public const int MaxHours = 24 * 30;

    private static async Task<Results<Ok<MessageStats>, ValidationProblem>> StatsAsync(string tenantId, int? hours, MessageStatsReader stats, CancellationToken ct) =>
        hours is < 1 or > MaxHours
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["hours"] = [$"Give 1 to {MaxHours} hours; it was {hours}."] })
            : TypedResults.Ok(await stats.ReadAsync(tenantId, TimeSpan.FromHours(hours ?? 1), ct));
}
