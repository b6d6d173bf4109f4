namespace Personalization.Ingestion.Backfill;

/// <summary>A Segment track call as the tracking API takes it; serialized with web (camelCase) names.</summary>
public sealed record TrackCall(
    string MessageId,
    string UserId,
    string Event,
    DateTimeOffset Timestamp,
    IReadOnlyDictionary<string, object> Properties,
    IReadOnlyDictionary<string, object>? Context = null)
{
    public string Type => "track";
}

/// <summary>A catalog item as the catalog import takes it.</summary>
public sealed record CatalogItemDraft(string Id, string Title, decimal? Price, string? Currency);

/// <summary>What one data row becomes: a track call, or the reason it is skipped.</summary>
public sealed record MappedRow(TrackCall? Call, string? SkipReason)
{
    public static MappedRow Skip(string reason) => new(null, reason);
}

/// <summary>Turns the rows of one file format into track calls and, where the format has them, catalog items.</summary>
public interface IRowMapper
{
    /// <summary>Checks the header row and learns where each column is.</summary>
    void ReadHeader(CsvRecord header);

    /// <summary>
    /// Maps a data row. Called for every row in file order, also rows a resumed run does not send again, so that
    /// message ids and catalog items come out the same however many runs a file takes.
    /// </summary>
    MappedRow Map(CsvRecord row);

    /// <summary>Items gathered from all rows so far, to import once the whole file has been read.</summary>
    IReadOnlyList<CatalogItemDraft> CatalogItems();
}
