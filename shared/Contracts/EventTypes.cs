namespace Personalization.Contracts;

/// <summary>The Segment spec's call types, as they appear in a message's "type" field.</summary>
public static class EventTypes
{
    public const string Identify = "identify";
    public const string Track = "track";
    public const string Page = "page";
    public const string Screen = "screen";
    public const string Group = "group";
    public const string Alias = "alias";

    public static readonly IReadOnlySet<string> All =
        new HashSet<string>(StringComparer.Ordinal) { Identify, Track, Page, Screen, Group, Alias };
}
