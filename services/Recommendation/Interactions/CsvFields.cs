using System.IO.Compression;

namespace Personalization.Recommendation.Interactions;

/// <summary>RFC 4180 fields of one line (quotes, doubled quotes, delimiters inside quotes), and gzip-aware opening.</summary>
public static class CsvFields
{
    public static void Split(string line, char delimiter, List<string> fields)
    {
        fields.Clear();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var n = 0; n < line.Length; n++)
        {
            var c = line[n];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (n + 1 < line.Length && line[n + 1] == '"') { field.Append('"'); n++; }
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == delimiter) { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
    }

    /// <summary>A reader over the file, decompressed when its name ends in <c>.gz</c>.</summary>
    public static TextReader Open(string path)
    {
        Stream stream = File.OpenRead(path);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            stream = new GZipStream(stream, CompressionMode.Decompress);
        return new StreamReader(stream);
    }
}

/// <summary>
/// What a reader made of a file: the interactions, how many rows it skipped for each reason, and the items'
/// descriptions when the file has them.
/// </summary>
public sealed record InteractionFile(IReadOnlyList<Interaction> Interactions, IReadOnlyDictionary<string, int> Skipped)
{
    public IReadOnlyDictionary<string, ItemContent> Items { get; init; } = new Dictionary<string, ItemContent>();
}

/// <summary>What the catalogue says about an item: the input of content-based recommendation and of the ranker's price feature.</summary>
public sealed record ItemContent(string Id, string Title, string? Description = null, string? Category = null, float? Price = null);
