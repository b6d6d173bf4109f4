namespace Personalization.Contracts.Catalog;

/// <summary>
/// A category path is a list of names, root first; as text it reads <c>Home &gt; Lighting</c>. Names may not hold
/// '&gt;', so the text form is unambiguous and the list filter can match a path and everything below it.
/// </summary>
public static class CategoryPaths
{
    public const string Separator = " > ";
    public const int MaxDepth = 10;
    public const int MaxNameLength = 100;

    public static string? Join(IReadOnlyList<string> names) => names.Count == 0 ? null : string.Join(Separator, names);

    /// <summary>Splits <c>Home &gt; Lighting</c> (spaces around '&gt;' optional) into its names.</summary>
    public static IReadOnlyList<string> Split(string path) =>
        string.IsNullOrWhiteSpace(path) ? [] : path.Split('>', StringSplitOptions.TrimEntries);

    /// <summary>Problems with a path's names; none when it is valid.</summary>
    public static IEnumerable<string> Problems(IReadOnlyList<string> names)
    {
        if (names.Count > MaxDepth)
            yield return $"\"category\" has more than {MaxDepth} levels.";
        foreach (var name in names)
        {
            if (string.IsNullOrWhiteSpace(name))
                yield return "\"category\" has an empty level.";
            else if (name.Contains('\0'))
                yield return "\"category\" holds U+0000, which cannot be stored.";
            else if (name.Contains('>'))
                yield return $"\"category\" level \"{name}\" contains '>', which separates levels.";
            else if (name.Length > MaxNameLength)
                yield return $"\"category\" level \"{name[..20]}...\" is longer than {MaxNameLength} characters.";
        }
    }
}
