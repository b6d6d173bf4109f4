using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.Triggers.Subscriptions;

namespace Personalization.Triggers.Api;

/// <summary>
/// The unsubscribe link of every message (RFC 8058): <c>GET</c> shows a page asking to confirm, so a link scanner that
/// follows it unsubscribes nobody; <c>POST</c> (the page's button, or a mail client's one-click
/// <c>List-Unsubscribe=One-Click</c>) leaves the group. No credential: the signed token is the authority.
/// </summary>
public static class UnsubscribeApi
{
    public static IEndpointRouteBuilder MapUnsubscribeApi(this IEndpointRouteBuilder app)
    {
        var unsubscribe = app.MapGroup(UnsubscribeLink.Path).WithTags("Unsubscribe");
        unsubscribe.MapGet("/{token}", Results<ContentHttpResult, ProblemHttpResult> (string token, LinkSigner links) => links.ReadUnsubscribe(token) is { } link
            ? Page("Unsubscribe?", $"<p>Stop receiving <strong>{Html(link.Group)}</strong> messages?</p><form method=\"post\"><input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\"><button type=\"submit\">Unsubscribe</button></form>")
            : BadLink()).WithSummary("The page of a signed unsubscribe link, asking to confirm").ProducesPage();
        unsubscribe.MapPost("/{token}", async Task<Results<ContentHttpResult, ProblemHttpResult>> (string token, LinkSigner links, SubscriptionStore subscriptions, CancellationToken ct) =>
        {
            if (links.ReadUnsubscribe(token) is not { } link) return BadLink();
            await subscriptions.UnsubscribeAsync(link, ct);
            return Page("Unsubscribed", $"<p>You will receive no more <strong>{Html(link.Group)}</strong> messages.</p>");
        }).WithSummary("Unsubscribe with a signed link (the page's button, or a mail client's one-click, RFC 8058)").ProducesPage();
        return app;
    }

    private static ProblemHttpResult BadLink() => TypedResults.Problem(title: "Not a valid unsubscribe link",
        detail: "The link is incomplete or was changed; use the one in the message as it came.", statusCode: StatusCodes.Status400BadRequest);

    /// <summary>Declares the answer of <see cref="Page"/>: a content result says nothing of its media type to the document.</summary>
    private static RouteHandlerBuilder ProducesPage(this RouteHandlerBuilder endpoint) => endpoint.Produces<string>(StatusCodes.Status200OK, "text/html");

    private static ContentHttpResult Page(string title, string body) =>
        TypedResults.Content($"<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>", "text/html; charset=utf-8");

    private static string Html(string text) => WebUtility.HtmlEncode(text);
}
