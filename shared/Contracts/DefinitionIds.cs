namespace Personalization.Contracts;

/// <summary>The id of a tenant's segment, journey or template: chosen by the tenant, stable across versions, safe in URLs and message keys.</summary>
public static class DefinitionIds
{
    public const string Rule = "1 to 64 lower-case letters, digits, '-' or '_', starting with a letter or digit";

    public static bool IsValid(string id) =>
        id.Length is > 0 and <= 64 && char.IsAsciiLetterLower(id[0]) | char.IsAsciiDigit(id[0])
        && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_');
}
