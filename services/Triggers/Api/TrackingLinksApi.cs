using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.Triggers.Delivery;
using Personalization.Triggers.Feedback;
using Personalization.Triggers.Subscriptions;

namespace Personalization.Triggers.Api;

/// <summary>
/// The links in sent emails that report back: the open pixel (<c>GET /o/{token}</c>, always a 1×1 GIF, so a bad
/// token shows nothing broken) and click redirects (<c>GET /c/{token}</c>, 302 to the link's target). No
/// credential: the signed token is the authority, and it names its target, so nobody can make an open redirect of it.
/// </summary>
public static class TrackingLinksApi
{
    private static readonly byte[] Pixel = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    public static IEndpointRouteBuilder MapTrackingLinksApi(this IEndpointRouteBuilder app)
    {
        app.MapGet($"{TrackedLink.OpenPath}/{{token}}", async (string token, HttpResponse response, LinkSigner links, MessageFeedback feedback, CancellationToken ct) =>
        {
            if (links.Read<TrackedLink>(token, l => l.SendKey.Length > 0) is { } link)
                await feedback.EngagedAsync(link, Engagement.Opened, ct);
            response.Headers.CacheControl = "no-store";
            return TypedResults.File(Pixel, "image/gif");
        }).WithSummary("The open-tracking pixel of an email; records the open").WithTags("Tracking links")
            .Produces<Stream>(StatusCodes.Status200OK, "image/gif"); // A file result declares nothing; Stream describes the body as binary.
        app.MapGet($"{TrackedLink.ClickPath}/{{token}}", async Task<Results<RedirectHttpResult, ProblemHttpResult>> (string token, LinkSigner links, MessageFeedback feedback, CancellationToken ct) =>
        {
            if (links.Read<TrackedLink>(token, l => l.SendKey.Length > 0 && Uri.TryCreate(l.Url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https") is not { Url: { } url } link)
                return TypedResults.Problem(title: "Not a valid link", detail: "The link is incomplete or was changed; use the one in the message as it came.",
                    statusCode: StatusCodes.Status400BadRequest);
            await feedback.EngagedAsync(link, Engagement.Clicked, ct);
            return TypedResults.Redirect(url);
        }).WithSummary("A tracked link in a message: records the click and redirects to its target").WithTags("Tracking links")
            .Produces(StatusCodes.Status302Found);
        return app;
    }
}
