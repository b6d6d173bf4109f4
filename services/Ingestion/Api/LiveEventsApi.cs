using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.Ingestion.Debugger;
using Personalization.Ingestion.Sources;

namespace Personalization.Ingestion.Api;

/// <summary>The live debugger's feed: a source's messages as they arrive, as server-sent events.</summary>
public static class LiveEventsApi
{
    public static IEndpointRouteBuilder MapLiveEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapTenantAdminGroup().WithTags("Admin")
            .MapGet("/sources/{sourceId}/live", Results<ServerSentEventsResult<LiveEntry?>, ValidationProblem> (
                string tenantId, string sourceId, LiveFeed feed, CancellationToken ct) =>
                SourceNames.IsValid(sourceId)
                    ? TypedResults.ServerSentEvents(feed.FollowAsync(tenantId, sourceId, ct))
                    : TenantAdminRoutes.InvalidId("sourceId", sourceId))
            .WithSummary($"Follow a source's messages as they are stored, turned away as duplicates or dead-lettered (text/event-stream: '{LiveFeed.EntryEvent}' events, and a '{LiveFeed.PingEvent}' on a quiet stream)");
        return app;
    }
}
