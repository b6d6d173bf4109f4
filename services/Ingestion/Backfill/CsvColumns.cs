namespace Personalization.Ingestion.Backfill;

/// <summary>Column positions by name (case-insensitive, any order), read from a header row.</summary>
public sealed class CsvColumns
{
    private readonly Dictionary<string, int> _positions;
    private readonly int _count;

    private CsvColumns(Dictionary<string, int> positions, int count) => (_positions, _count) = (positions, count);

    public static CsvColumns Read(CsvRecord header, IReadOnlyList<string> required, IReadOnlyList<string> optional)
    {
        var positions = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Fields.Count; i++)
        {
            var name = header.Fields[i].Trim();
            if (!required.Concat(optional).Contains(name, StringComparer.OrdinalIgnoreCase))
                throw new BackfillException($"line {header.Line}: unknown column '{name}'; expected {string.Join(",", required)}{Optional(optional)}.");
            if (!positions.TryAdd(name, i))
                throw new BackfillException($"line {header.Line}: column '{name}' appears twice.");
        }
        if (required.FirstOrDefault(name => !positions.ContainsKey(name)) is { } missing)
            throw new BackfillException($"line {header.Line}: column '{missing}' is missing; expected {string.Join(",", required)}{Optional(optional)}.");
        return new CsvColumns(positions, header.Fields.Count);
    }

    public bool Has(string name) => _positions.ContainsKey(name);

    /// <summary>The trimmed value of a column in a row, after checking the row has every column.</summary>
    public string Get(CsvRecord row, string name)
    {
        if (row.Fields.Count != _count)
            throw new BackfillException($"line {row.Line}: {row.Fields.Count} fields, but the header has {_count}.");
        return row.Fields[_positions[name]].Trim();
    }

    private static string Optional(IReadOnlyList<string> optional) => optional.Count == 0 ? "" : $" (optional: {string.Join(",", optional)})";
}
