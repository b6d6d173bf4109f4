using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Personalization.Ingestion.Backfill;

/// <summary>
/// Interactions as <c>user,item,event,timestamp[,value]</c> (columns in any order): each row one track call named
/// by its event, with properties product_id (the item, when given) and value (a number, when given). Timestamps are
/// ISO 8601 (UTC when no offset is given) or Unix seconds. Rows are sent as they are, so the tracking API's
/// validation decides what a user or event must look like.
/// The message id hashes the row's content rather than its line number, so a re-export with rows added or reordered
/// still deduplicates; two rows identical to the second count as one interaction.
/// </summary>
public sealed class GenericCsvMapper : IRowMapper
{
    private static readonly string[] Required = ["user", "item", "event", "timestamp"];
    private static readonly string[] Optional = ["value"];

    private CsvColumns _columns = null!;

    public void ReadHeader(CsvRecord header) => _columns = CsvColumns.Read(header, Required, Optional);

    public MappedRow Map(CsvRecord row)
    {
        var user = _columns.Get(row, "user");
        var item = _columns.Get(row, "item");
        var name = _columns.Get(row, "event");
        var timestamp = ParseTimestamp(row, _columns.Get(row, "timestamp"));
        var valueText = _columns.Has("value") ? _columns.Get(row, "value") : "";
        decimal? value = null;
        if (valueText.Length > 0)
            value = decimal.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw new BackfillException($"line {row.Line}: value '{valueText}' is not a number.");

        var properties = new Dictionary<string, object>();
        if (item.Length > 0) properties["product_id"] = item;
        if (value is not null) properties["value"] = value;
        return new MappedRow(new TrackCall(MessageId(user, item, name, timestamp, value), user, name, timestamp, properties), null);
    }

    public IReadOnlyList<CatalogItemDraft> CatalogItems() => [];

    private static DateTimeOffset ParseTimestamp(CsvRecord row, string text)
    {
        if (text.Length > 0 && text.All(char.IsAsciiDigit) && long.TryParse(text, out var seconds))
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp))
            return timestamp.ToUniversalTime();
        throw new BackfillException($"line {row.Line}: timestamp '{text}' is not an ISO 8601 date-time or Unix seconds.");
    }

    private static string MessageId(string user, string item, string name, DateTimeOffset timestamp, decimal? value)
    {
        // Normalized values, so "2024-01-02T03:04:05Z" and "2024-01-02 03:04:05" (or 1.50 and 1.5) are the same row.
        var content = string.Join('\u001f', user, item, name, timestamp.UtcTicks, value?.ToString("G29", CultureInfo.InvariantCulture));
        return "generic-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)))[..32];
    }
}
