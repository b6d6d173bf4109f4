using Personalization.Contracts.Datasets;
using System.Globalization;

namespace Personalization.Recommendation.Interactions;

/// <summary>
/// The UCI "Online Retail" export (Chen, Sain &amp; Guo 2012; gzip CSV with InvoiceNo, StockCode, Description,
/// Quantity, InvoiceDate, UnitPrice, CustomerID, Country). Each sale line is one purchase by the customer, in the
/// customer's country. Skipped, and counted: lines without a customer (NA), cancellations (invoices starting with
/// C), postage, fees and adjustments (the same service codes the ingestion backfill skips), and lines with no
/// quantity or a negative price. InvoiceDate is the shop's wall-clock time, kept as is. Each product's description
/// and price (from its latest customer sale line) make its catalogue entry.
/// </summary>
public static class OnlineRetailReader
{
    public const string NoCustomer = "no customer";
    public const string Cancellation = "cancellation";
    public const string NotAProduct = "not a product";
    public const string NotASale = "not a sale";


    public static InteractionFile ReadFile(string path)
    {
        using var reader = CsvFields.Open(path);
        return Read(reader);
    }

    public static InteractionFile Read(TextReader reader)
    {
        var interactions = new List<Interaction>();
        var skipped = new Dictionary<string, int>();
        var items = new Dictionary<string, ItemContent>(StringComparer.Ordinal);
        var fields = new List<string>();
        var header = reader.ReadLine() ?? throw new FormatException("empty file");
        CsvFields.Split(header, ',', fields);
        var column = OnlineRetailFormat.Columns.ToDictionary(name => name, name => fields.FindIndex(f => f.Trim().Equals(name, StringComparison.OrdinalIgnoreCase)));
        if (column.FirstOrDefault(c => c.Value < 0) is { Key: { } missing })
            throw new FormatException($"no {missing} column");
        var width = column.Values.Max() + 1;

        var number = 1;
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            number++;
            if (line.Length == 0) continue;
            CsvFields.Split(line, ',', fields);
            if (fields.Count < width) throw new FormatException($"line {number}: {fields.Count} fields, expected {width}");

            var customer = fields[column["CustomerID"]].Trim();
            var sale = int.TryParse(fields[column["Quantity"]], CultureInfo.InvariantCulture, out var quantity) & quantity > 0
                & decimal.TryParse(fields[column["UnitPrice"]], CultureInfo.InvariantCulture, out var price) & price >= 0;
            string? reason = null;
            if (customer is "" or "NA") reason = NoCustomer;
            else if (fields[column["InvoiceNo"]].StartsWith('C')) reason = Cancellation;
            else if (OnlineRetailFormat.IsServiceCode(fields[column["StockCode"]])) reason = NotAProduct;
            else if (!sale) reason = NotASale;
            if (reason is not null)
            {
                skipped[reason] = skipped.GetValueOrDefault(reason) + 1;
                continue;
            }

            // The catalogue entry: the description and price of the product's latest sale line, as the backfill keeps them.
            var stockCode = fields[column["StockCode"]].Trim();
            if (price > 0 && fields[column["Description"]].Trim() is { Length: > 0 } description)
                items[stockCode] = new ItemContent(stockCode, description, Price: (float)price);

            // Files saved through pandas hold customer ids as floats ("17850.0").
            if (customer.EndsWith(".0", StringComparison.Ordinal)) customer = customer[..^2];
            var date = fields[column["InvoiceDate"]].Trim();
            if (!OnlineRetailFormat.TryParseTime(date, out var timestamp))
                throw new FormatException($"line {number}: InvoiceDate '{date}' not understood");
            interactions.Add(new Interaction(customer, stockCode, timestamp.DateTime, InteractionTypes.Purchase, null, fields[column["Country"]].Trim()));
        }
        return new InteractionFile(interactions, skipped) { Items = items };
    }
}
