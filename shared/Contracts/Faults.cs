using System.Text.Json;

namespace Personalization.Contracts;

/// <summary>The faults found in a definition, each under the JSON path where it is, as a validation problem lists them.</summary>
public sealed class Faults
{
    private readonly Dictionary<string, List<string>> _byPath = new(StringComparer.Ordinal);

    public bool Any => _byPath.Count > 0;

    public void Add(string path, string message)
    {
        if (!_byPath.TryGetValue(path, out var messages)) _byPath[path] = messages = [];
        messages.Add(message);
    }

    /// <summary>Adds the fault and returns nothing: what a parser returns for a part it could not read.</summary>
    public T? At<T>(string path, string message)
    {
        Add(path, message);
        return default;
    }

    /// <summary>Each property of <paramref name="element"/> that is not one of <paramref name="known"/>, as a fault: a typo must not pass silently.</summary>
    public void Unknown(string path, JsonElement element, params string[] known)
    {
        foreach (var property in element.EnumerateObject())
            if (!known.Contains(property.Name, StringComparer.Ordinal))
                Add($"{path}.{property.Name}", $"Unknown property; expected {string.Join(", ", known.Select(k => $"\"{k}\""))}.");
    }

    /// <summary>A required string property, or null with a fault.</summary>
    public string? RequiredText(string path, JsonElement parent, string name)
    {
        if (parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Trim().Length > 0)
            return value.GetString();
        Add($"{path}.{name}", parent.TryGetProperty(name, out _) ? "Takes a non-empty string." : "Required.");
        return null;
    }

    /// <summary>An optional string property: null when absent, and a fault when it is not a string.</summary>
    public string? OptionalText(string path, JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        Add($"{path}.{name}", "Takes a string.");
        return null;
    }

    public Dictionary<string, string[]> ToDictionary() => _byPath.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
}
