using System.Globalization;

namespace Personalization.Contracts.Datasets;

/// <summary>
/// The UCI "Online Retail" export (Chen, Sain and Guo, 2012), read by the ingestion backfill and the recommendation
/// evaluator alike, so both see the same rows as products and the same times.
/// </summary>
public static class OnlineRetailFormat
{
    public static readonly string[] Columns = ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"];

    // The export's service codes: postage, carriage, manual entries, discounts, samples, bad debt, commissions, fees.
    private static readonly HashSet<string> ServiceCodes = new(
        ["POST", "DOT", "C2", "M", "D", "S", "B", "CRUK", "AMAZONFEE", "BANK CHARGES"], StringComparer.OrdinalIgnoreCase);

    // As converted from the CRAN package (2010-12-01 08:26:00), and as in CSVs saved from the UCI spreadsheet (12/1/2010 8:26).
    private static readonly string[] DateFormats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "M/d/yyyy H:mm", "M/d/yyyy H:mm:ss"];

    // The shop is British and its export carries UK wall-clock times; the file spans both GMT and BST.
    private static readonly TimeZoneInfo UkTime = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    /// <summary>Postage, fees, discounts and adjustments: lines that are not a product.</summary>
    public static bool IsServiceCode(string stockCode) => ServiceCodes.Contains(stockCode.Trim());

    /// <summary>An InvoiceDate as the instant it was in the UK.</summary>
    public static bool TryParseTime(string value, out DateTimeOffset time)
    {
        if (DateTime.TryParseExact(value.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            time = new DateTimeOffset(local, UkTime.GetUtcOffset(local));
            return true;
        }
        time = default;
        return false;
    }
}
