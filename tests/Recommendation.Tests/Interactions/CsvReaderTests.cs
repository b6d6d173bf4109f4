using System.IO.Compression;
using Personalization.Recommendation.Interactions;

namespace Personalization.Recommendation.Tests.Interactions;

public class CsvReaderTests
{
    [Test]
    public void Headerless_generic_csv_is_user_item_timestamp_and_optional_weight()
    {
        var file = new GenericCsvReader().Read(new StringReader("u1,i1,1700000000,2.5\nu2,i2,2024-01-02T03:04:05Z\n\n"));
        Assert.That(file.Interactions, Is.EqualTo(new[]
        {
            new Interaction("u1", "i1", DateTime.UnixEpoch.AddSeconds(1_700_000_000), InteractionTypes.Purchase, 2.5f),
            new Interaction("u2", "i2", new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc)),
        }));
    }

    [Test]
    public void A_header_names_the_columns_in_any_order_with_event_type_and_context()
    {
        const string text = "timestamp,event,rating,item_id,user_id,country\n1700000000000,view,,\"cup, large\",7,FR\n";
        var file = new GenericCsvReader().Read(new StringReader(text));
        Assert.That(file.Interactions.Single(), Is.EqualTo(
            new Interaction("7", "cup, large", DateTime.UnixEpoch.AddMilliseconds(1_700_000_000_000), "view", null, "FR")));
    }

    [Test]
    public void MovieLens_u_data_reads_with_tabs_and_named_columns()
    {
        var reader = new GenericCsvReader { Columns = ["user", "item", "rating", "timestamp"] };
        var file = reader.Read(new StringReader("196\t242\t3\t881250949\n186\t302\t3\t891717742\n"));
        Assert.That(file.Interactions[0], Is.EqualTo(new Interaction("196", "242", DateTime.UnixEpoch.AddSeconds(881250949), InteractionTypes.Purchase, 3f)));
        Assert.That(file.Interactions, Has.Count.EqualTo(2));
    }

    [Test]
    public void Rows_with_a_weight_of_zero_or_less_are_skipped_and_counted()
    {
        var file = new GenericCsvReader().Read(new StringReader("u,i,1,0\nu,i,1,-1\nu,i,1,1\n"));
        Assert.That(file.Interactions, Has.Count.EqualTo(1));
        Assert.That(file.Skipped[GenericCsvReader.NonPositiveWeight], Is.EqualTo(2));
    }

    [Test]
    public void A_bad_timestamp_names_its_line()
    {
        var error = Assert.Throws<FormatException>(() => new GenericCsvReader().Read(new StringReader("u,i,1\nu,i,yesterday\n")));
        Assert.That(error!.Message, Does.Contain("line 2"));
    }

    private const string RetailHeader = "\"InvoiceNo\",\"StockCode\",\"Description\",\"Quantity\",\"InvoiceDate\",\"UnitPrice\",\"CustomerID\",\"Country\"\n";

    [Test]
    public void Online_retail_lines_are_purchases_in_the_customers_country()
    {
        const string text = RetailHeader +
            "\"536365\",\"85123A\",\"WHITE HANGING HEART T-LIGHT HOLDER\",6,2010-12-01 08:26:00,2.55,17850,\"United Kingdom\"\n" +
            "\"536366\",\"22633\",\"HAND WARMER, \"\"UNION JACK\"\"\",6,2010-12-01 08:28:00,1.85,12583.0,\"France\"\n";
        var file = OnlineRetailReader.Read(new StringReader(text));
        Assert.That(file.Interactions, Is.EqualTo(new[]
        {
            new Interaction("17850", "85123A", new DateTime(2010, 12, 1, 8, 26, 0), InteractionTypes.Purchase, null, "United Kingdom"),
            new Interaction("12583", "22633", new DateTime(2010, 12, 1, 8, 28, 0), InteractionTypes.Purchase, null, "France"),
        }));
    }

    [Test]
    public void Online_retail_skips_missing_customers_cancellations_services_and_non_sales()
    {
        const string text = RetailHeader +
            "\"536365\",\"85123A\",\"HEART\",6,2010-12-01 08:26:00,2.55,NA,\"United Kingdom\"\n" +
            "\"C536379\",\"85123A\",\"HEART\",-1,2010-12-01 09:41:00,2.55,14527,\"United Kingdom\"\n" +
            "\"536370\",\"POST\",\"POSTAGE\",3,2010-12-01 08:45:00,18,12583,\"France\"\n" +
            "\"536371\",\"85123A\",\"HEART\",0,2010-12-01 08:45:00,2.55,12583,\"France\"\n" +
            "\"536372\",\"85123A\",\"HEART\",1,2010-12-01 08:45:00,2.55,12583,\"France\"\n";
        var file = OnlineRetailReader.Read(new StringReader(text));
        Assert.That(file.Interactions, Has.Count.EqualTo(1));
        Assert.That(file.Skipped, Is.EquivalentTo(new Dictionary<string, int>
        {
            [OnlineRetailReader.NoCustomer] = 1,
            [OnlineRetailReader.Cancellation] = 1,
            [OnlineRetailReader.NotAProduct] = 1,
            [OnlineRetailReader.NotASale] = 1,
        }));
    }

    [Test]
    public void Gzipped_files_are_read_by_their_extension()
    {
        var path = Path.Combine(Path.GetTempPath(), $"interactions-{Guid.NewGuid():N}.csv.gz");
        try
        {
            using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
            using (var writer = new StreamWriter(gzip))
                writer.Write("user,item,timestamp\nu,i,1\n");
            Assert.That(new GenericCsvReader().ReadFile(path).Interactions.Single().Item, Is.EqualTo("i"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
