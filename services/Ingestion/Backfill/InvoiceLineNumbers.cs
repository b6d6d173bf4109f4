namespace Personalization.Ingestion.Backfill;

/// <summary>
/// Numbers the lines of one stock code within an invoice (1, 2, ...), for message ids that are the same on every
/// run yet keep lines that repeat a stock code apart: the Online Retail data has 9,694 such repeats. The export
/// lists an invoice's lines together, with rare short interruptions (invoice 542806 is split by two lines of
/// another), so counts are kept for the most recent invoices only. An invoice reappearing after that stops the
/// backfill rather than risk reusing ids, which would drop real lines as duplicates.
/// </summary>
public sealed class InvoiceLineNumbers
{
    public const int RecentInvoices = 1_000;

    private readonly Dictionary<string, Dictionary<string, int>> _recent = [];
    private readonly Queue<string> _order = new();
    private readonly HashSet<string> _forgotten = [];

    public int Next(string invoice, string stockCode, long line)
    {
        if (!_recent.TryGetValue(invoice, out var codes))
        {
            if (_forgotten.Contains(invoice))
                throw new BackfillException(
                    $"line {line}: invoice {invoice} reappears more than {RecentInvoices} invoices after its other lines; sort the file by invoice.");
            _recent[invoice] = codes = [];
            _order.Enqueue(invoice);
            if (_order.Count > RecentInvoices)
            {
                var oldest = _order.Dequeue();
                _recent.Remove(oldest);
                _forgotten.Add(oldest);
            }
        }
        var number = codes.GetValueOrDefault(stockCode) + 1;
        codes[stockCode] = number;
        return number;
    }
}
