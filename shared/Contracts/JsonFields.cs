using System.Globalization;
using System.Text.Json;

namespace Personalization.Contracts;

/// <summary>
/// Lenient reads of event payload fields, as publishers send them: an id may be a string or a number, a number may
/// be quoted. A missing, empty or mistyped field reads as null, never as an error.
/// </summary>
public static class JsonFields
{
    /// <summary>The text at a property path; numbers as written, empty strings as null.</summary>
    public static string? Text(JsonElement element, params ReadOnlySpan<string> path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element)) return null;
        }
        return element.ValueKind switch
        {
            JsonValueKind.String => element.GetString() is { Length: > 0 } text ? text : null,
            JsonValueKind.Number => element.GetRawText(),
            _ => null,
        };
    }

    /// <summary>The first of several property names that holds text.</summary>
    public static string? FirstText(JsonElement element, params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
            if (Text(element, name) is { } text) return text;
        return null;
    }

    /// <summary>A number, or a string that holds one in invariant culture.</summary>
    public static decimal? Number(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value)) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number)) return number;
        return value.ValueKind == JsonValueKind.String
            && decimal.TryParse(value.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : null;
    }

    /// <summary>The object at a property name, or an undefined element.</summary>
    public static JsonElement Object(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : default;
}
