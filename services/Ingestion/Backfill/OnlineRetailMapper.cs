using Personalization.Contracts.Datasets;
using System.Globalization;

namespace Personalization.Ingestion.Backfill;

/// <summary>
/// The UCI "Online Retail" export (Chen, Sain &amp; Guo 2012): InvoiceNo, StockCode, Description, Quantity,
/// InvoiceDate, UnitPrice, CustomerID, Country, one row per invoice line. Events follow Segment's e-commerce spec v2:
/// <list type="bullet">
/// <item>a sale line is an <c>Order Completed</c> of that one product (order_id, product_id, quantity, price, revenue,
/// currency GBP; the country in context.location), userId the CustomerID, timestamp the InvoiceDate;</item>
/// <item>a line of a cancellation (InvoiceNo starting with C) is an <c>Order Refunded</c> with the same properties as
/// positive amounts, so purchase totals can be netted; skipping them would overstate what customers spent;</item>
/// <item>a line without a customer (CustomerID NA, a quarter of the file) is skipped and counted: with no person to
/// attach it to it cannot feed a profile, and inventing an anonymous id per invoice would make thousands of
/// one-visit "people";</item>
/// <item>postage, fees, discounts and manual adjustments are not products and are skipped, as are stock
/// adjustments (a quantity of 0 or less outside a cancellation).</item>
/// </list>
/// Message ids are <c>retail-{InvoiceNo}-{StockCode}-{n}</c>, n numbering repeats of a code within the invoice, so a
/// rerun or an overlapping later export stores nothing twice. Every product sold at a price (by anyone) becomes a
/// catalog item: its title and price are those of its latest such line.
/// </summary>
public sealed class OnlineRetailMapper : IRowMapper
{
    public const string NoCustomer = "no customer (CustomerID NA)";
    public const string NotAProduct = "not a product (postage, fees, adjustments)";
    public const string NotASale = "not a sale (quantity 0 or less, or a negative price)";


    private const string Currency = "GBP";

    private readonly InvoiceLineNumbers _lineNumbers = new();
    private readonly Dictionary<string, (CatalogItemDraft Item, DateTimeOffset SoldAt)> _products = new();
    private CsvColumns _columns = null!;

    public void ReadHeader(CsvRecord header) => _columns = CsvColumns.Read(header, OnlineRetailFormat.Columns, []);

    public MappedRow Map(CsvRecord row)
    {
        var invoice = _columns.Get(row, "InvoiceNo");
        var stockCode = _columns.Get(row, "StockCode");
        var customer = _columns.Get(row, "CustomerID");
        var quantity = ParseInt(row, "Quantity");
        var price = ParseDecimal(row, "UnitPrice");
        var timestamp = ParseDate(row, "InvoiceDate");
        var number = _lineNumbers.Next(invoice, stockCode, row.Line);

        if (OnlineRetailFormat.IsServiceCode(stockCode)) return MappedRow.Skip(NotAProduct);
        var cancellation = invoice.StartsWith('C');
        if (!cancellation && quantity > 0 && price > 0)
            RememberProduct(stockCode, _columns.Get(row, "Description"), price, timestamp);

        if (customer is "" or "NA") return MappedRow.Skip(NoCustomer);
        if (!cancellation && (quantity <= 0 || price < 0)) return MappedRow.Skip(NotASale);

        var units = Math.Abs(quantity);
        var properties = new Dictionary<string, object>
        {
            ["order_id"] = invoice,
            ["product_id"] = stockCode,
            ["quantity"] = units,
            ["price"] = price,
            ["revenue"] = units * price,
            ["currency"] = Currency,
        };
        var context = new Dictionary<string, object> { ["location"] = new Dictionary<string, object> { ["country"] = _columns.Get(row, "Country") } };
        return new MappedRow(new TrackCall(
            $"retail-{invoice}-{stockCode}-{number}",
            // Files saved through pandas hold customer ids as floats ("17850.0").
            customer.EndsWith(".0", StringComparison.Ordinal) ? customer[..^2] : customer,
            cancellation ? "Order Refunded" : "Order Completed",
            timestamp,
            properties,
            context), null);
    }

    public IReadOnlyList<CatalogItemDraft> CatalogItems() => _products.Values.Select(p => p.Item).ToList();

    private void RememberProduct(string stockCode, string description, decimal price, DateTimeOffset soldAt)
    {
        if (description is "" or "NA") return;
        if (_products.TryGetValue(stockCode, out var known) && known.SoldAt > soldAt) return;
        _products[stockCode] = (new CatalogItemDraft(stockCode, description, price, Currency), soldAt);
    }

    private int ParseInt(CsvRecord row, string column) =>
        int.TryParse(_columns.Get(row, column), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Malformed(row, column, "a whole number");

    private decimal ParseDecimal(CsvRecord row, string column) =>
        decimal.TryParse(_columns.Get(row, column), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Malformed(row, column, "a number");

    private DateTimeOffset ParseDate(CsvRecord row, string column)
    {
        return OnlineRetailFormat.TryParseTime(_columns.Get(row, column), out var time)
            ? time
            : throw Malformed(row, column, "a date such as 2010-12-01 08:26:00");
    }

    private BackfillException Malformed(CsvRecord row, string column, string expected) =>
        new($"line {row.Line}: {column} '{_columns.Get(row, column)}' is not {expected}.");
}
