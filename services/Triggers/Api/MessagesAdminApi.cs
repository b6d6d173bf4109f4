using Personalization.ServiceDefaults;
using Personalization.Triggers.Delivery;

namespace Personalization.Triggers.Api;

/// <summary>The message log: what journeys queued, sent, skipped or are still trying, by journey or by person.</summary>
public static class MessagesAdminApi
{
    public static IEndpointRouteBuilder MapMessagesAdminApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/admin/tenants/{tenantId}/messages", async (string tenantId, string? journeyId, string? userId, int? limit, MessageLog log, CancellationToken ct) =>
                TypedResults.Ok(await log.ReadAsync(tenantId, journeyId, userId, limit ?? 100, ct)))
            .RequireAdmin().WithTags("Messages")
            .WithSummary($"The tenant's messages, the newest first, optionally of one journey or one person (limit: 1 to {MessageLog.MaxLimit}, 100 unless given)");
        return app;
    }
}
