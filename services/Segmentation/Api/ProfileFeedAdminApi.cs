using Personalization.Segmentation.Profiles;
using Personalization.ServiceDefaults;

namespace Personalization.Segmentation.Api;

/// <summary>What feeding profiles has cost this replica since it started: actor calls, events they carried, log reads.</summary>
public static class ProfileFeedAdminApi
{
    public static IEndpointRouteBuilder MapProfileFeedAdminApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/admin/profiles/feed", (ProfileFeedMetrics metrics) => TypedResults.Ok(metrics.Totals)).WithSummary("This replica's profile feed: actor calls, events fed and log reads since it started")
            .RequireAdmin().WithTags("Profiles");
        return app;
    }
}
