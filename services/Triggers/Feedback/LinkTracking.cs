using System.Net;
using System.Text.RegularExpressions;

namespace Personalization.Triggers.Feedback;

/// <summary>
/// Makes an email's HTML report back: every http(s) link goes through a signed click redirect, and a 1×1 pixel
/// reports the open. Pure: the caller gives how to make each tracked URL.
/// </summary>
public static partial class LinkTracking
{
    [GeneratedRegex("""href\s*=\s*(?:"(?<url>https?://[^"]*)"|'(?<url>https?://[^']*)')""", RegexOptions.IgnoreCase)]
    private static partial Regex Links();

    [GeneratedRegex("</body>", RegexOptions.IgnoreCase)]
    private static partial Regex BodyEnd();

    /// <param name="clickUrl">The redirect for a link's target (decoded from the attribute).</param>
    /// <param name="pixelUrl">Where the open pixel is loaded from.</param>
    public static string Rewrite(string html, Func<string, string> clickUrl, string pixelUrl)
    {
        var tracked = Links().Replace(html, m => $"href=\"{WebUtility.HtmlEncode(clickUrl(WebUtility.HtmlDecode(m.Groups["url"].Value)))}\"");
        var pixel = $"<img src=\"{WebUtility.HtmlEncode(pixelUrl)}\" width=\"1\" height=\"1\" alt=\"\" style=\"display:none\">";
        var end = BodyEnd().Match(tracked);
        return end.Success ? tracked.Insert(end.Index, pixel) : tracked + pixel;
    }
}
