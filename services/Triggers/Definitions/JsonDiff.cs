using System.Text.Json;

namespace Personalization.Triggers.Definitions;

/// <summary>One difference between two versions of a definition, at a JSON path such as <c>$.steps[id=email].send.template</c>.</summary>
public sealed record DefinitionChange(string Path, string Change, JsonElement? Before, JsonElement? After);

/// <summary>
/// What changed between two JSON documents: values added, removed or changed, by path. Arrays whose items are
/// objects with distinct <c>id</c>s (a journey's steps) are matched by id, so inserting a step shows as one addition
/// rather than every later step changed; other arrays are compared item by item.
/// </summary>
public static class JsonDiff
{
    public const string Added = "added";
    public const string Removed = "removed";
    public const string Changed = "changed";

    public static IReadOnlyList<DefinitionChange> Between(JsonElement? before, JsonElement after)
    {
        var changes = new List<DefinitionChange>();
        if (before is { } previous) Compare("$", previous, after, changes);
        else changes.Add(new DefinitionChange("$", Added, null, after.Clone()));
        return changes;
    }

    private static void Compare(string path, JsonElement before, JsonElement after, List<DefinitionChange> changes)
    {
        if (before.ValueKind == JsonValueKind.Object && after.ValueKind == JsonValueKind.Object)
        {
            var old = before.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
            foreach (var property in after.EnumerateObject())
                if (old.Remove(property.Name, out var was)) Compare($"{path}.{property.Name}", was, property.Value, changes);
                else changes.Add(new DefinitionChange($"{path}.{property.Name}", Added, null, property.Value.Clone()));
            foreach (var (name, was) in old) changes.Add(new DefinitionChange($"{path}.{name}", Removed, was.Clone(), null));
        }
        else if (before.ValueKind == JsonValueKind.Array && after.ValueKind == JsonValueKind.Array)
        {
            if (ById(before) is { } oldItems && ById(after) is { } newItems)
            {
                foreach (var (id, item) in newItems)
                    if (oldItems.Remove(id, out var was)) Compare($"{path}[id={id}]", was, item, changes);
                    else changes.Add(new DefinitionChange($"{path}[id={id}]", Added, null, item.Clone()));
                foreach (var (id, was) in oldItems) changes.Add(new DefinitionChange($"{path}[id={id}]", Removed, was.Clone(), null));
                return;
            }
            var (a, b) = (before.EnumerateArray().ToList(), after.EnumerateArray().ToList());
            for (var i = 0; i < Math.Max(a.Count, b.Count); i++)
                if (i >= a.Count) changes.Add(new DefinitionChange($"{path}[{i}]", Added, null, b[i].Clone()));
                else if (i >= b.Count) changes.Add(new DefinitionChange($"{path}[{i}]", Removed, a[i].Clone(), null));
                else Compare($"{path}[{i}]", a[i], b[i], changes);
        }
        else if (!JsonElement.DeepEquals(before, after))
            changes.Add(new DefinitionChange(path, Changed, before.Clone(), after.Clone()));
    }

    /// <summary>The items by id, in order, when every item is an object with a distinct string id; otherwise null.</summary>
    private static Dictionary<string, JsonElement>? ById(JsonElement array)
    {
        var items = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var item in array.EnumerateArray())
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String
                || !items.TryAdd(id.GetString()!, item))
                return null;
        return items.Count > 0 ? items : null;
    }
}
