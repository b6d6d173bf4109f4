using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Personalization.ServiceDefaults;

/// <summary>The consumer lag as the console reads it: what waits in each queue this replica consumes.</summary>
public static class QueueDepthsApi
{
    public static IEndpointRouteBuilder MapQueueDepthsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/admin/queues", (QueueDepths depths) => TypedResults.Ok(depths.Depths)).RequireAdmin().WithTags("Messaging")
            .WithSummary($"Messages waiting in each queue this replica consumes, as last read (every {QueueDepths.Interval.TotalSeconds:0} s)");
        return app;
    }
}
