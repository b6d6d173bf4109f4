namespace Personalization.Triggers.Feedback;

/// <summary>
/// What an open pixel or a click link in a message stands for: the message's send key, and for a click where it
/// goes. A click on a link to a recommended item names the item and its position in the list; the open pixel of a
/// message with recommendations names the items shown. Signed like the unsubscribe links, so it cannot be altered
/// to count for another message or to redirect anywhere else.
/// </summary>
public sealed record TrackedLink(string SendKey, string? Url, string? ItemId = null, int? Position = null, IReadOnlyList<string>? Items = null)
{
    public const string OpenPath = "/o";
    public const string ClickPath = "/c";

    /// <summary>
    /// The recommended item a link goes to: the first of the URL's path segments and query values that is the id
    /// of one of <paramref name="items"/>, with its position (from 1) in them; null for any other link.
    /// </summary>
    public static (string ItemId, int Position)? RecommendedItemOf(string url, IReadOnlyList<string> items)
    {
        if (items.Count == 0 || !Uri.TryCreate(url, UriKind.Absolute, out var uri)) return null;
        var parts = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Concat(uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair => pair.Split('=', 2) is [_, var value] ? value : ""))
            .Select(Uri.UnescapeDataString);
        foreach (var part in parts)
            for (var index = 0; index < items.Count; index++)
                if (items[index] == part) return (part, index + 1);
        return null;
    }
}
