using System.Globalization;

namespace Personalization.Recommendation.Interactions;

/// <summary>
/// Any interaction data set as delimited text, so it can be evaluated offline. Without a header the columns are
/// <c>user,item,timestamp[,weight]</c>; with one (recognised by its user and item column names) they are found by
/// name: user|user_id|userid, item|item_id|itemid|product_id, timestamp|time|date, weight|rating|value,
/// event|type, context|country|device. <see cref="Columns"/> names headerless columns in another order, e.g.
/// MovieLens' u.data is <c>user,item,rating,timestamp</c> separated by tabs. Timestamps are Unix seconds (or
/// milliseconds when larger than 10^11) or ISO 8601, read as UTC.
/// </summary>
public sealed record GenericCsvReader
{
    private static readonly string[] UserNames = ["user", "user_id", "userid", "customer", "customerid", "customer_id"];
    private static readonly string[] ItemNames = ["item", "item_id", "itemid", "product", "product_id", "productid"];
    private static readonly string[] TimeNames = ["timestamp", "time", "date", "ts"];
    private static readonly string[] ValueNames = ["weight", "rating", "value"];
    private static readonly string[] TypeNames = ["event", "type", "event_type"];
    private static readonly string[] ContextNames = ["context", "country", "device"];

    /// <summary>The delimiter; null picks tab when the first line has one, else comma.</summary>
    public char? Delimiter { get; init; }

    /// <summary>Column names for a file without a header; null for <c>user,item,timestamp[,weight]</c>.</summary>
    public IReadOnlyList<string>? Columns { get; init; }

    public InteractionFile ReadFile(string path)
    {
        using var reader = CsvFields.Open(path);
        return Read(reader);
    }

    public InteractionFile Read(TextReader reader)
    {
        var interactions = new List<Interaction>();
        var skipped = new Dictionary<string, int>();
        var fields = new List<string>();
        var line = reader.ReadLine();
        if (line is null) return new InteractionFile(interactions, skipped);
        var delimiter = Delimiter ?? (line.Contains('\t') ? '\t' : ',');

        CsvFields.Split(line, delimiter, fields);
        var header = fields.Select(f => f.Trim().ToLowerInvariant()).ToArray();
        var hasHeader = Columns is null && header.Any(UserNames.Contains) && header.Any(ItemNames.Contains);
        var names = hasHeader ? header : (Columns?.Select(c => c.ToLowerInvariant()).ToArray() ?? ["user", "item", "timestamp", "weight"]);
        var user = Find(names, UserNames) ?? throw new FormatException("no user column");
        var item = Find(names, ItemNames) ?? throw new FormatException("no item column");
        var time = Find(names, TimeNames) ?? throw new FormatException("no timestamp column");
        var value = Find(names, ValueNames);
        var type = Find(names, TypeNames);
        var context = Find(names, ContextNames);

        var number = 1;
        if (hasHeader) { line = reader.ReadLine(); number++; }
        for (; line is not null; line = reader.ReadLine(), number++)
        {
            if (line.Length == 0) continue;
            CsvFields.Split(line, delimiter, fields);
            if (fields.Count <= Math.Max(user, Math.Max(item, time)))
                throw new FormatException($"line {number}: {fields.Count} fields, expected at least {Math.Max(user, Math.Max(item, time)) + 1}");
            float? weight = null;
            if (value is { } v && v < fields.Count && fields[v].Length > 0)
                weight = float.TryParse(fields[v], NumberStyles.Float, CultureInfo.InvariantCulture, out var w)
                    ? w : throw new FormatException($"line {number}: weight '{fields[v]}' is not a number");
            if (weight is <= 0)
            {
                skipped[NonPositiveWeight] = skipped.GetValueOrDefault(NonPositiveWeight) + 1;
                continue;
            }
            interactions.Add(new Interaction(
                fields[user].Trim(),
                fields[item].Trim(),
                ParseTimestamp(fields[time], number),
                type is { } t && t < fields.Count && fields[t].Length > 0 ? fields[t].Trim() : InteractionTypes.Purchase,
                weight,
                context is { } c && c < fields.Count && fields[c].Length > 0 ? fields[c].Trim() : null));
        }
        return new InteractionFile(interactions, skipped);
    }

    public const string NonPositiveWeight = "weight 0 or less";

    public static DateTime ParseTimestamp(string text, int line)
    {
        text = text.Trim();
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var unix))
            return unix > 100_000_000_000L
                ? DateTime.UnixEpoch.AddMilliseconds(unix)
                : DateTime.UnixEpoch.AddSeconds(unix);
        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
            return parsed;
        throw new FormatException($"line {line}: timestamp '{text}' is neither Unix seconds nor ISO 8601");
    }

    private static int? Find(string[] names, string[] candidates)
    {
        for (var n = 0; n < names.Length; n++)
            if (candidates.Contains(names[n])) return n;
        return null;
    }
}
