namespace Personalization.Triggers.Feedback;

/// <summary>
/// What an open pixel or a click link in a message stands for: the message's send key, and for a click where it
/// goes. Signed like the unsubscribe links, so it cannot be altered to count for another message or to redirect
/// anywhere else.
/// </summary>
public sealed record TrackedLink(string SendKey, string? Url)
{
    public const string OpenPath = "/o";
    public const string ClickPath = "/c";
}
