using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Personalization.Ingestion.Catalog;

/// <summary>Every item of an import, or every error found in it (keyed <c>$[index]</c>, or <c>$</c> for the body).</summary>
public sealed record ImportParse(IReadOnlyList<CatalogItemInput> Items, IDictionary<string, string[]> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// Reads an import body, a JSON array or NDJSON (one item a line), item by item, and validates all of it before
/// anything is written: an import is all or nothing, like a tracking batch.
/// </summary>
public static class CatalogImport
{
    public const int MaxItems = 10_000;
    public const string NdjsonMediaType = "application/x-ndjson";

    public static async Task<ImportParse> ParseAsync(Stream body, bool ndjson, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var items = new List<CatalogItemInput>();
        var firstIndexOf = new Dictionary<string, int>();
        var index = 0;
        try
        {
            await foreach (var (element, error) in ndjson ? ReadLinesAsync(body, cancellationToken) : ReadArrayAsync(body, cancellationToken))
            {
                if (index == MaxItems)
                    return Failed("$", $"The import holds more than {MaxItems} items; send it in parts.");

                var problems = new List<string>();
                if (error is not null)
                    problems.Add(error);
                else if (CatalogItemParser.Parse(element, routeId: null, problems) is { } item)
                {
                    if (firstIndexOf.TryAdd(item.ItemId, index))
                        items.Add(item);
                    else
                        problems.Add($"\"id\" \"{item.ItemId}\" already appears at $[{firstIndexOf[item.ItemId]}].");
                }
                if (problems.Count > 0)
                    errors[$"$[{index}]"] = [.. problems];
                index++;
            }
        }
        catch (JsonException ex)
        {
            return Failed("$", $"The body must be a JSON array of items (or NDJSON with Content-Type {NdjsonMediaType}): {ex.Message}");
        }

        if (index == 0)
            return Failed("$", "The import holds no items.");
        return errors.Count > 0 ? new ImportParse([], errors) : new ImportParse(items, errors);
    }

    private static ImportParse Failed(string path, string error) => new([], new Dictionary<string, string[]> { [path] = [error] });

    private static async IAsyncEnumerable<(JsonElement Element, string? Error)> ReadArrayAsync(
        Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var element in JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(body, cancellationToken: cancellationToken))
            yield return (element, null);
    }

    /// <summary>Blank lines are skipped; a line that is not JSON is that item's error, so the others are still checked.</summary>
    private static async IAsyncEnumerable<(JsonElement Element, string? Error)> ReadLinesAsync(
        Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, leaveOpen: true);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonElement element;
            string? error = null;
            try
            {
                element = JsonSerializer.Deserialize<JsonElement>(line);
            }
            catch (JsonException ex)
            {
                element = default;
                error = $"The line is not valid JSON: {ex.Message}";
            }
            yield return (element, error);
        }
    }
}
