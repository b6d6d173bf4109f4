using Personalization.Contracts.Catalog;
using Personalization.Ingestion.Validation;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Personalization.Ingestion.Catalog;

/// <summary>
/// Reads one catalog item from JSON and says everything wrong with it at once, as the tracking API does for
/// events. Limits keep one item small enough that an import of the largest allowed size stays cheap to hold.
/// </summary>
public static partial class CatalogItemParser
{
    public const int MaxTitleLength = 500;
    public const int MaxDescriptionLength = 10_000;
    public const int MaxTags = 50;
    public const int MaxTagLength = 100;
    public const int MaxAttributes = 100;
    public const int MaxAttributeNameLength = 100;
    public const int MaxAttributesBytes = 16 * 1024;

    public const string IdRule = "1 to 128 letters, digits, '-', '_', '.', ':', '~' or '+', starting with a letter or digit";

    // Item ids travel in URL paths, so no '/', '?', '#', '%' or spaces.
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:~+-]{0,127}$")]
    private static partial Regex IdPattern();

    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    private static readonly HashSet<string> Fields =
        ["id", "title", "description", "category", "price", "currency", "tags", "availability", "stockCount", "attributes"];

    /// <param name="routeId">The id in the URL of a PUT; an id in the body must then be the same.</param>
    /// <returns>The item, or null when <paramref name="problems"/> got at least one entry.</returns>
    public static CatalogItemInput? Parse(JsonElement item, string? routeId, List<string> problems)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            problems.Add("An item must be a JSON object.");
            return null;
        }

        var unstorable = Unstorable(item, "").ToList();
        if (unstorable.Count > 0)
        {
            problems.AddRange(unstorable.Select(path =>
                $"\"{path}\" holds a value that cannot be stored: text with U+0000, half of a surrogate pair (\\ud800-\\udfff) or bytes that are not UTF-8, or a number with more than 131072 digits before the decimal point or 16383 after."));
            return null;
        }

        var before = problems.Count;
        foreach (var property in item.EnumerateObject().Where(p => !Fields.Contains(p.Name)))
            problems.Add($"\"{Shorten(property.Name)}\" is not a catalog field; put custom data in \"attributes\".");

        var id = ReadId(item, routeId, problems);
        var title = ReadText(item, "title", MaxTitleLength, problems);
        if (title is null && IsBlankOrAbsent(item, "title"))
            problems.Add("\"title\" is required.");
        var description = ReadText(item, "description", MaxDescriptionLength, problems);
        var category = ReadCategory(item, problems);
        var (price, currency) = ReadPrice(item, problems);
        var tags = ReadTags(item, problems);
        var stockCount = ReadStockCount(item, problems);
        var availability = ReadAvailability(item, stockCount, problems);
        var attributes = ReadAttributes(item, problems);

        return problems.Count > before
            ? null
            : new CatalogItemInput(id!, title!, description, category, price, currency, tags, availability, stockCount, attributes);
    }

    private static bool TryGet(JsonElement item, string field, out JsonElement value) =>
        item.TryGetProperty(field, out value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>Missing, null or whitespace; a value of the wrong kind is not blank (it has its own message).</summary>
    private static bool IsBlankOrAbsent(JsonElement item, string field) =>
        !TryGet(item, field, out var value) || value.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetString());

    private static string? ReadId(JsonElement item, string? routeId, List<string> problems)
    {
        string? bodyId = null;
        if (TryGet(item, "id", out var value))
        {
            // Numeric SKUs are common in feeds; they are kept as text.
            bodyId = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            };
            if (bodyId is null)
            {
                problems.Add("\"id\" must be a string or a number.");
                return null;
            }
        }

        if (routeId is not null && bodyId is not null && bodyId != routeId)
            problems.Add($"\"id\" is \"{Shorten(bodyId)}\" but the URL names item \"{routeId}\".");
        var id = routeId ?? bodyId;
        if (string.IsNullOrEmpty(id))
            problems.Add("\"id\" is required.");
        else if (!IsValidId(id))
            problems.Add($"\"id\" \"{Shorten(id)}\" is not a valid item id: use {IdRule}.");
        return id;
    }

    /// <summary>A trimmed string, or null when absent or blank.</summary>
    private static string? ReadText(JsonElement item, string field, int maxLength, List<string> problems)
    {
        if (!TryGet(item, field, out var value)) return null;
        if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add($"\"{field}\" must be a string.");
            return null;
        }
        var text = value.GetString()!.Trim();
        if (text.Length > maxLength)
            problems.Add($"\"{field}\" is longer than {maxLength} characters.");
        return text.Length == 0 ? null : text;
    }

    private static IReadOnlyList<string> ReadCategory(JsonElement item, List<string> problems)
    {
        if (!TryGet(item, "category", out var value)) return [];
        IReadOnlyList<string>? names = value.ValueKind switch
        {
            JsonValueKind.String => CategoryPaths.Split(value.GetString()!),
            JsonValueKind.Array when value.EnumerateArray().All(n => n.ValueKind == JsonValueKind.String) =>
                value.EnumerateArray().Select(n => n.GetString()!.Trim()).ToList(),
            _ => null,
        };
        if (names is null)
        {
            problems.Add("\"category\" must be a path such as \"Home > Lighting\" or an array of names such as [\"Home\", \"Lighting\"].");
            return [];
        }
        problems.AddRange(CategoryPaths.Problems(names));
        return names;
    }

    private static (decimal? Price, string? Currency) ReadPrice(JsonElement item, List<string> problems)
    {
        decimal? price = null;
        if (TryGet(item, "price", out var value))
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var amount))
                problems.Add("\"price\" must be a decimal number.");
            else if (amount < 0)
                problems.Add("\"price\" must not be negative.");
            else
                price = amount;
        }

        // No length limit here: a code of any other length is simply not a known code.
        var currency = ReadText(item, "currency", int.MaxValue, problems)?.ToUpperInvariant();
        if (currency is not null && !Currencies.IsKnown(currency))
            problems.Add($"\"currency\" \"{Shorten(currency)}\" is not an ISO 4217 currency code such as \"EUR\" or \"GBP\".");
        if (price is not null && currency is null && IsBlankOrAbsent(item, "currency"))
            problems.Add("\"currency\" is required with a price: an ISO 4217 code such as \"EUR\" or \"GBP\".");
        if (currency is not null && !TryGet(item, "price", out _))
            problems.Add("\"currency\" is given without a \"price\".");
        return (price, currency);
    }

    private static IReadOnlyList<string> ReadTags(JsonElement item, List<string> problems)
    {
        if (!TryGet(item, "tags", out var value)) return [];
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String))
        {
            problems.Add("\"tags\" must be an array of strings.");
            return [];
        }
        var tags = value.EnumerateArray().Select(t => t.GetString()!.Trim()).ToList();
        if (tags.Count > MaxTags)
            problems.Add($"\"tags\" holds more than {MaxTags} tags.");
        if (tags.Any(t => t.Length == 0))
            problems.Add("\"tags\" holds an empty tag.");
        if (tags.Any(t => t.Length > MaxTagLength))
            problems.Add($"\"tags\" holds a tag longer than {MaxTagLength} characters.");
        return tags;
    }

    private static int? ReadStockCount(JsonElement item, List<string> problems)
    {
        if (!TryGet(item, "stockCount", out var value)) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var count) && count >= 0)
            return count;
        problems.Add("\"stockCount\" must be a whole number, 0 or more.");
        return null;
    }

    /// <summary>When not given: in stock, unless a stock count of 0 says otherwise.</summary>
    private static Availability ReadAvailability(JsonElement item, int? stockCount, List<string> problems)
    {
        if (!TryGet(item, "availability", out var value))
            return stockCount == 0 ? Availability.OutOfStock : Availability.InStock;
        if (value.ValueKind == JsonValueKind.String && AvailabilityNames.TryParse(value.GetString()!, out var availability))
            return availability;
        problems.Add($"\"availability\" must be one of {string.Join(", ", AvailabilityNames.All.Select(n => $"\"{n}\""))}.");
        return default;
    }

    private static IReadOnlyDictionary<string, JsonElement> ReadAttributes(JsonElement item, List<string> problems)
    {
        if (!TryGet(item, "attributes", out var value)) return new Dictionary<string, JsonElement>();
        if (value.ValueKind != JsonValueKind.Object)
        {
            problems.Add("\"attributes\" must be an object of names to JSON values.");
            return new Dictionary<string, JsonElement>();
        }

        var attributes = new Dictionary<string, JsonElement>();
        foreach (var attribute in value.EnumerateObject())
        {
            if (attribute.Name.Trim().Length == 0 || attribute.Name.Length > MaxAttributeNameLength)
                problems.Add($"\"attributes\" names must be 1 to {MaxAttributeNameLength} characters; \"{Shorten(attribute.Name)}\" is not.");
            else if (!attributes.TryAdd(attribute.Name, attribute.Value.Clone()))
                problems.Add($"\"attributes\" names \"{attribute.Name}\" twice.");
        }
        if (attributes.Count > MaxAttributes)
            problems.Add($"\"attributes\" holds more than {MaxAttributes} entries.");
        if (Encoding.UTF8.GetByteCount(value.GetRawText()) > MaxAttributesBytes)
            problems.Add($"\"attributes\" is larger than {MaxAttributesBytes} bytes of JSON.");
        return attributes;
    }

    /// <summary>
    /// Paths of strings, names and numbers that are legal JSON but that PostgreSQL's jsonb refuses (U+0000, numbers
    /// beyond numeric's range: <see cref="StorableNumbers"/>) or .NET cannot read as text (an unpaired surrogate
    /// escape); left in, storing the item would fail with a 500.
    /// </summary>
    private static IEnumerable<string> Unstorable(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String when !IsStorable(element.GetString):
            case JsonValueKind.Number when !StorableNumbers.IsStorable(JsonMarshal.GetRawUtf8Value(element)):
                yield return path;
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!IsStorable(() => property.Name))
                    {
                        yield return path.Length == 0 ? "a field name" : $"{path} (a name in it)";
                        continue;
                    }
                    foreach (var inner in Unstorable(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}"))
                        yield return inner;
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var value in element.EnumerateArray())
                    foreach (var inner in Unstorable(value, $"{path}[{index++}]"))
                        yield return inner;
                break;
        }

        static bool IsStorable(Func<string?> read)
        {
            try
            {
                return read()?.Contains('\0') != true;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
