using System.Text.RegularExpressions;

namespace Personalization.Ingestion.Sources;

/// <summary>Tenant and source ids appear in stream ids, URLs and metrics, so they are kept to a safe alphabet.</summary>
public static partial class SourceNames
{
    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,62}$")]
    private static partial Regex Slug();

    public static bool IsValid(string? id) => id is not null && Slug().IsMatch(id);

    public const string Rule = "lower-case letters, digits, '-' and '_', starting with a letter or digit, at most 63 characters";

    /// <summary>The one wording of a refused id, wherever it is checked.</summary>
    public static string Refusal(string? id) => $"'{id}' is not a valid id: use {Rule}.";
}
