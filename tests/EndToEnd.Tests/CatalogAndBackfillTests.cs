using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using static Personalization.EndToEnd.Tests.Platform;

namespace Personalization.EndToEnd.Tests;

/// <summary>
/// A shop's history imported with <c>Personalization.Ingestion backfill</c>: its orders through the tracking API, its
/// products into the catalog, stored once however often it runs, resumable, and reaching the profiles.
/// </summary>
public class CatalogAndBackfillTests
{
    private const string RetailHeader = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country";

    private sealed record ItemView(string Id, string Title, decimal? Price, string? Currency);

    /// <summary>A generated export and what the backfill should make of it.</summary>
    private sealed record RetailFile(string Path, int Rows, int Events, int EventsOfFirstCustomer, decimal SpentByFirstCustomer);

    private string _directory = null!;
    private string _run = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Directory.CreateTempSubdirectory("backfill-e2e-").FullName;
        _run = "r" + Guid.NewGuid().ToString("N")[..8];
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    private string FirstCustomer => $"{_run}-c0";
    private string Checkpoint => Path.Combine(_directory, "checkpoint");

    /// <summary>
    /// An Online Retail export in miniature, gzipped, with the real file's quirks: quoted descriptions holding commas
    /// and quotes, lines without a customer, postage, a stock code repeated within an invoice, a cancellation, and
    /// prices that change halfway.
    /// </summary>
    private RetailFile WriteRetailFile(int invoices)
    {
        var rows = new List<string>();
        int events = 0, firstCustomerEvents = 0;
        var firstCustomerSpent = 0m;
        var time = new DateTime(2011, 3, 1, 9, 0, 0);

        void Line(string invoice, string code, string description, int quantity, decimal price, string customer)
        {
            rows.Add(string.Join(',', Quoted(invoice), Quoted(code), Quoted(description), quantity, time.ToString("yyyy-MM-dd HH:mm:ss"),
                price.ToString(CultureInfo.InvariantCulture), customer, Quoted("United Kingdom")));
            if (customer == "NA" || code == "POST") return;
            events++;
            if (customer != FirstCustomer) return;
            firstCustomerEvents++;
            if (quantity > 0) firstCustomerSpent += quantity * price;
        }

        for (var i = 0; i < invoices; i++)
        {
            var customer = i % 7 == 6 ? "NA" : $"{_run}-c{i % 5}";
            var invoice = $"{_run}{i:D3}";
            for (var line = 0; line < 3 + i % 3; line++)
            {
                var product = (i + line) % 6;
                Line(invoice, $"{_run}-P{product}", Description(product), 1 + i * line % 4, Price(product, i, invoices), customer);
                if (line == 0 && i % 10 == 3)
                    Line(invoice, $"{_run}-P{product}", Description(product), 2, Price(product, i, invoices), customer);
            }
            if (i % 15 == 4)
                Line(invoice, "POST", "POSTAGE", 1, 18m, customer);
            time = time.AddHours(5);
        }
        Line($"C{_run}999", $"{_run}-P1", Description(1), -1, Price(1, invoices, invoices), FirstCustomer);

        var path = Path.Combine(_directory, "online-retail.csv.gz");
        using (var gzip = new StreamWriter(new GZipStream(File.Create(path), CompressionLevel.Fastest)))
            gzip.Write(string.Join('\n', [RetailHeader, .. rows]) + '\n');
        return new RetailFile(path, rows.Count, events, firstCustomerEvents, firstCustomerSpent);

        static string Description(int product) => product == 0 ? "LANTERN, \"ANTIQUE\" GOLD" : $"PRODUCT {product}";
        static decimal Price(int product, int invoice, int invoices) => 1.25m + product + (invoice >= invoices / 2 ? 1 : 0);
        static string Quoted(string value) => '"' + value.Replace("\"", "\"\"") + '"';
    }

    private Task<string> BackfillAsync(string format, string file, params string[] more) => RunVerbAsync("services/Ingestion",
    [
        "backfill", "--format", format, "--file", file, "--url", Ingestion.BaseAddress.ToString(), "--write-key", WriteKey,
        "--checkpoint", Checkpoint, .. more,
    ]);

    private Task<string> BackfillRetailAsync(RetailFile file, params string[] more) =>
        BackfillAsync("online-retail", file.Path, ["--admin-token", AdminToken, "--tenant", Tenant, .. more]);

    private Task<long> StoredEventsOfThisRunAsync() =>
        Database.ScalarAsync<long>("select count(*) from ingestion.mt_events where stream_id like @prefix", ("prefix", $"{Tenant}/user:{_run}-%"));

    private static async Task<ItemView> CatalogItemAsync(string itemId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/admin/tenants/{Tenant}/catalog/items/{itemId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        using var response = await Ingestion.Client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ItemView>(JsonSerializerOptions.Web))!;
    }

    [Test]
    public async Task A_backfilled_shop_history_is_stored_once_with_its_catalog_however_often_it_runs()
    {
        var file = WriteRetailFile(invoices: 40);

        var first = await BackfillRetailAsync(file);

        Assert.That(first, Does.Contain("Done in"));
        Assert.That(await StoredEventsOfThisRunAsync(), Is.EqualTo(file.Events));
        Assert.That(await CatalogItemAsync($"{_run}-P0"), Is.EqualTo(new ItemView($"{_run}-P0", "LANTERN, \"ANTIQUE\" GOLD", 2.25m, "GBP")),
            "the title from a quoted field, the price of the latest sale");
        Assert.That(first, Does.Contain("Catalog: 6 items, 6 created"));
        var profile = await Profiles.WithCountAsync(FirstCustomer, file.EventsOfFirstCustomer);
        Assert.That(profile!.Purchases.MonetaryTotal, Is.EqualTo(file.SpentByFirstCustomer), "backfilled orders reach the profile like live ones");

        var second = await BackfillRetailAsync(file);

        Assert.That(second, Does.Contain($"{file.Events} events sent, 0 stored, {file.Events} duplicates"));
        Assert.That(second, Does.Contain("Catalog: 6 items, 0 created, 0 updated, 6 unchanged"));
        Assert.That(await StoredEventsOfThisRunAsync(), Is.EqualTo(file.Events));
        Assert.That(File.Exists(Checkpoint), Is.False);
    }

    [Test]
    public async Task An_interrupted_backfill_resumes_after_its_checkpoint()
    {
        var file = WriteRetailFile(invoices: 40);
        Assert.That(file.Rows, Is.GreaterThan(150));

        var partial = await BackfillRetailAsync(file, "--max-rows", "120");
        var storedBefore = await StoredEventsOfThisRunAsync();
        var checkpointed = File.Exists(Checkpoint);
        var rest = await BackfillRetailAsync(file);

        Assert.That(partial, Does.Contain("Stopped after row 120"));
        Assert.That(checkpointed, Is.True);
        Assert.That(storedBefore, Is.GreaterThan(0).And.LessThan(file.Events));
        Assert.That(rest, Does.Contain("Resuming after row 120"));
        Assert.That(rest, Does.Contain($"{file.Events - storedBefore} events sent, {file.Events - storedBefore} stored, 0 duplicates"),
            "rows before the checkpoint are not sent again");
        Assert.That(await StoredEventsOfThisRunAsync(), Is.EqualTo(file.Events));
        Assert.That(File.Exists(Checkpoint), Is.False);
    }

    [Test]
    public async Task A_generic_file_goes_through_the_tracking_api_validation_and_names_the_row_it_dead_letters()
    {
        var path = Path.Combine(_directory, "interactions.csv");
        var rows = Enumerable.Range(1, 150).Select(r =>
            $"{(r == 130 ? "" : $"{_run}-g{r % 10}")},sku-{r % 13},{(r % 3 == 0 ? "Product Added" : "Product Viewed")},2024-05-01T10:{r / 60:D2}:{r % 60:D2}Z,{r % 5}");
        await File.WriteAllLinesAsync(path, ["user,item,event,timestamp,value", .. rows]);

        var output = await BackfillAsync("generic", path);

        // The API takes the batch in part: the row without a user is dead-lettered, the rest of its batch stored.
        Assert.That(output, Does.Contain("dead-lettered 1 invalid row(s) of lines 102 to 151"));
        Assert.That(output, Does.Contain("(line 131): \"userId\" or \"anonymousId\" is required."));
        Assert.That(output, Does.Contain("1 dead-lettered"));
        Assert.That(await StoredEventsOfThisRunAsync(), Is.EqualTo(149));
        Assert.That(File.Exists(Checkpoint), Is.False, "the file was read to its end");
    }
}
