using Personalization.Ingestion.Backfill;

namespace Personalization.Ingestion.Tests.Backfill;

public class OnlineRetailMapperTests
{
    private const string Header = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country";

    /// <summary>Maps the data rows of a small file (header added), in order.</summary>
    private static (List<MappedRow> Rows, OnlineRetailMapper Mapper) Map(params string[] rows)
    {
        var mapper = new OnlineRetailMapper();
        mapper.ReadHeader(new CsvRecord(0, 1, Header.Split(',')));
        var mapped = rows.Select((row, i) => mapper.Map(new CsvRecord(i + 1, i + 2, Split(row)))).ToList();
        return (mapped, mapper);
    }

    // Test rows hold no quoted commas, so a plain split will do; the reader's own tests cover quoting.
    private static string[] Split(string row) => row.Split(',').Select(f => f.Trim('"')).ToArray();

    [Test]
    public void A_sale_line_is_an_order_completed_of_that_product()
    {
        var call = Map("\"536365\",\"85123A\",\"WHITE HANGING HEART T-LIGHT HOLDER\",6,2010-12-01 08:26:00,2.55,17850,\"United Kingdom\"").Rows[0].Call!;

        Assert.Multiple(() =>
        {
            Assert.That(call.Event, Is.EqualTo("Order Completed"));
            Assert.That(call.UserId, Is.EqualTo("17850"));
            Assert.That(call.MessageId, Is.EqualTo("retail-536365-85123A-1"));
            Assert.That(call.Timestamp, Is.EqualTo(new DateTimeOffset(2010, 12, 1, 8, 26, 0, TimeSpan.Zero)), "GMT in winter");
            Assert.That(call.Properties["order_id"], Is.EqualTo("536365"));
            Assert.That(call.Properties["product_id"], Is.EqualTo("85123A"));
            Assert.That(call.Properties["quantity"], Is.EqualTo(6));
            Assert.That(call.Properties["price"], Is.EqualTo(2.55m));
            Assert.That(call.Properties["revenue"], Is.EqualTo(15.30m));
            Assert.That(call.Properties["currency"], Is.EqualTo("GBP"));
            Assert.That(((IReadOnlyDictionary<string, object>)call.Context!["location"])["country"], Is.EqualTo("United Kingdom"));
        });
    }

    [Test]
    public void Summer_invoice_times_are_british_summer_time()
    {
        var call = Map("\"555000\",\"22423\",\"REGENCY CAKESTAND 3 TIER\",1,2011-06-01 12:00:00,12.75,13047,\"United Kingdom\"").Rows[0].Call!;

        Assert.That(call.Timestamp.UtcDateTime, Is.EqualTo(new DateTime(2011, 6, 1, 11, 0, 0, DateTimeKind.Utc)));
    }

    [Test]
    public void Spreadsheet_style_dates_are_read_too()
    {
        var call = Map("536365,85123A,HOLDER,6,12/1/2010 8:26,2.55,17850,United Kingdom").Rows[0].Call!;

        Assert.That(call.Timestamp, Is.EqualTo(new DateTimeOffset(2010, 12, 1, 8, 26, 0, TimeSpan.Zero)));
    }

    [Test]
    public void A_line_without_a_customer_is_skipped_but_its_product_still_joins_the_catalog()
    {
        var (rows, mapper) = Map("536544,90214D,LETTER \"D\" BLING KEY RING,1,2010-12-01 14:32:00,0.85,NA,United Kingdom");

        Assert.That(rows[0].SkipReason, Is.EqualTo(OnlineRetailMapper.NoCustomer));
        Assert.That(mapper.CatalogItems().Single().Id, Is.EqualTo("90214D"));
    }

    [Test]
    public void A_cancellation_line_is_an_order_refunded_with_positive_amounts()
    {
        var call = Map("C536379,D,Discount,-1,2010-12-01 09:41:00,27.50,14527,United Kingdom",
                       "C536383,35004C,SET OF 3 COLOURED  FLYING DUCKS,-2,2010-12-01 09:49:00,4.65,15311,United Kingdom").Rows[1].Call!;

        Assert.Multiple(() =>
        {
            Assert.That(call.Event, Is.EqualTo("Order Refunded"));
            Assert.That(call.MessageId, Is.EqualTo("retail-C536383-35004C-1"));
            Assert.That(call.Properties["order_id"], Is.EqualTo("C536383"));
            Assert.That(call.Properties["quantity"], Is.EqualTo(2));
            Assert.That(call.Properties["revenue"], Is.EqualTo(9.30m));
        });
    }

    [Test]
    public void Postage_fees_and_stock_adjustments_are_not_sales()
    {
        var rows = Map(
            "536370,POST,POSTAGE,3,2010-12-01 08:45:00,18,12583,France",
            "C536379,D,Discount,-1,2010-12-01 09:41:00,27.50,14527,United Kingdom",
            "536999,21275,damaged,-5,2010-12-01 10:00:00,0,17850,United Kingdom").Rows;

        Assert.That(rows.Select(r => r.SkipReason), Is.EqualTo(new[] { OnlineRetailMapper.NotAProduct, OnlineRetailMapper.NotAProduct, OnlineRetailMapper.NotASale }));
    }

    [Test]
    public void A_stock_code_repeated_in_an_invoice_gets_its_own_message_id()
    {
        var rows = Map(
            "536409,22866,HAND WARMER SCOTTY DOG DESIGN,1,2010-12-01 11:45:00,2.1,17908,United Kingdom",
            "536409,22900,SET 2 TEA TOWELS I LOVE LONDON,1,2010-12-01 11:45:00,2.95,17908,United Kingdom",
            "536409,22866,HAND WARMER SCOTTY DOG DESIGN,1,2010-12-01 11:45:00,2.1,17908,United Kingdom",
            "536410,22866,HAND WARMER SCOTTY DOG DESIGN,1,2010-12-01 11:46:00,2.1,17909,United Kingdom").Rows;

        Assert.That(rows.Select(r => r.Call!.MessageId), Is.EqualTo(new[]
        {
            "retail-536409-22866-1", "retail-536409-22900-1", "retail-536409-22866-2", "retail-536410-22866-1",
        }));
    }

    [Test]
    public void An_invoice_split_by_a_few_lines_of_another_keeps_counting()
    {
        var rows = Map(
            "542806,48194,DOORMAT HEARTS,1,2011-02-01 11:19:00,7.95,12836,United Kingdom",
            "542807,22111,SCOTTIE DOG HOT WATER BOTTLE,1,2011-02-01 11:19:00,4.95,12837,United Kingdom",
            "542806,48194,DOORMAT HEARTS,1,2011-02-01 11:20:00,7.95,12836,United Kingdom").Rows;

        Assert.That(rows[2].Call!.MessageId, Is.EqualTo("retail-542806-48194-2"));
    }

    [Test]
    public void An_invoice_reappearing_long_after_its_lines_stops_the_backfill()
    {
        var rows = new List<string> { "100000,A1,ITEM,1,2011-01-01 10:00:00,1,1,United Kingdom" };
        rows.AddRange(Enumerable.Range(1, InvoiceLineNumbers.RecentInvoices).Select(i => $"{100000 + i},A1,ITEM,1,2011-01-01 10:00:00,1,1,United Kingdom"));
        rows.Add("100000,A1,ITEM,1,2011-01-01 10:00:00,1,1,United Kingdom");

        Assert.That(() => Map([.. rows]), Throws.TypeOf<BackfillException>().With.Message.Contains("invoice 100000 reappears"));
    }

    [Test]
    public void Each_product_becomes_one_catalog_item_with_its_latest_title_and_price()
    {
        var mapper = Map(
            "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850,United Kingdom",
            "580000,85123A,CREAM HANGING HEART T-LIGHT HOLDER,6,2011-12-01 08:26:00,2.95,17850,United Kingdom",
            "580001,85123A,?,-10,2011-12-02 08:26:00,0,NA,United Kingdom",
            "C580002,85123A,CREAM HANGING HEART T-LIGHT HOLDER,-1,2011-12-03 08:26:00,3.50,17850,United Kingdom",
            "536366,22633,HAND WARMER UNION JACK,6,2010-12-01 08:28:00,1.85,17850,United Kingdom",
            "536370,POST,POSTAGE,3,2010-12-01 08:45:00,18,12583,France").Mapper;

        Assert.That(mapper.CatalogItems(), Is.EquivalentTo(new[]
        {
            new CatalogItemDraft("85123A", "CREAM HANGING HEART T-LIGHT HOLDER", 2.95m, "GBP"),
            new CatalogItemDraft("22633", "HAND WARMER UNION JACK", 1.85m, "GBP"),
        }), "adjustments and cancellations do not set titles or prices; postage is no product");
    }

    [Test]
    public void A_malformed_number_or_date_names_its_line()
    {
        Assert.That(() => Map("536365,85123A,HOLDER,six,2010-12-01 08:26:00,2.55,17850,United Kingdom"),
            Throws.TypeOf<BackfillException>().With.Message.EqualTo("line 2: Quantity 'six' is not a whole number."));
        Assert.That(() => Map("536365,85123A,HOLDER,6,yesterday,2.55,17850,United Kingdom"),
            Throws.TypeOf<BackfillException>().With.Message.StartsWith("line 2: InvoiceDate 'yesterday' is not a date"));
        Assert.That(() => Map("536365,85123A,HOLDER,6"),
            Throws.TypeOf<BackfillException>().With.Message.EqualTo("line 2: 4 fields, but the header has 8."));
    }

    [Test]
    public void A_header_without_a_column_is_refused()
    {
        var mapper = new OnlineRetailMapper();

        Assert.That(() => mapper.ReadHeader(new CsvRecord(0, 1, ["InvoiceNo", "StockCode"])),
            Throws.TypeOf<BackfillException>().With.Message.StartsWith("line 1: column 'Description' is missing"));
    }
}
