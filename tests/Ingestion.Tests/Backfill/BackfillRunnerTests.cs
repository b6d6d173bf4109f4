using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Personalization.Ingestion.Backfill;

namespace Personalization.Ingestion.Tests.Backfill;

/// <summary>The runner against a scripted API: batching, checkpoints, resuming, retries and refusals.</summary>
public class BackfillRunnerTests
{
    private const string Header = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country";

    /// <summary>Answers each request with the next scripted response (200 with counts when the script runs out), and keeps what was sent.</summary>
    private sealed class ScriptedApi : HttpMessageHandler
    {
        public Queue<Func<HttpResponseMessage>> Script { get; } = new();
        public List<(string Path, string? Authorization, string Body)> Requests { get; } = [];

        public IEnumerable<JsonElement> SentBatches => Requests.Where(r => r.Path == "/v1/batch").Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("batch"));

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var bytes = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            if (request.Content.Headers.ContentEncoding.Contains("gzip"))
            {
                using var inflated = new MemoryStream();
                await new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress).CopyToAsync(inflated, cancellationToken);
                bytes = inflated.ToArray();
            }
            var body = Encoding.UTF8.GetString(bytes);
            Requests.Add((request.RequestUri!.AbsolutePath, request.Headers.Authorization?.ToString(), body));

            if (Script.TryDequeue(out var next)) return next();
            var count = JsonDocument.Parse(body).RootElement is { ValueKind: JsonValueKind.Object } batch ? batch.GetProperty("batch").GetArrayLength() : 0;
            return Json(HttpStatusCode.OK, request.RequestUri.AbsolutePath == "/v1/batch"
                ? $$"""{"success":true,"stored":{{count}},"duplicates":0}"""
                : """{"received":2,"created":2,"updated":0,"unchanged":0}""");
        }
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, status == HttpStatusCode.OK ? "application/json" : "application/problem+json") };

    private string _directory = null!;
    private ScriptedApi _api = null!;
    private StringWriter _output = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Directory.CreateTempSubdirectory("backfill-tests-").FullName;
        _api = new ScriptedApi();
        _output = new StringWriter();
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    /// <summary>A file of <paramref name="customers"/> × 3 sale lines, one NA line and a product sold twice.</summary>
    private string RetailFile(int lines)
    {
        var path = Path.Combine(_directory, "retail.csv");
        var rows = Enumerable.Range(0, lines).Select(i => $"\"{540000 + i / 3}\",\"P{i % 4}\",\"PRODUCT, NO. {i % 4}\",{1 + i % 5},2011-01-0{1 + i % 9} 10:00:00,{1 + i % 4}.5,{(i == 1 ? "NA" : (12000 + i % 7).ToString())},\"United Kingdom\"");
        File.WriteAllLines(path, [Header, .. rows]);
        return path;
    }

    private BackfillOptions Options(string file, int batchSize = 3, long? maxRows = null, bool catalog = true) => BackfillOptions.Parse(
    [
        "--format", "online-retail", "--file", file, "--url", "http://ingestion.test", "--write-key", "wk",
        "--batch-size", batchSize.ToString(), .. maxRows is null ? Array.Empty<string>() : ["--max-rows", maxRows.ToString()!],
        .. catalog ? ["--admin-token", "admin", "--tenant", "shop"] : Array.Empty<string>(),
    ]).Options!;

    private Task<BackfillResult> RunAsync(BackfillOptions options)
    {
        var http = new HttpClient(_api) { BaseAddress = options.Url };
        return new BackfillRunner(new IngestionClient(http, options.WriteKey, options.AdminToken, _output), _output).RunAsync(options, CancellationToken.None);
    }

    [Test]
    public async Task Events_go_in_gzipped_batches_with_the_write_key_then_the_catalog_with_the_admin_token()
    {
        var options = Options(RetailFile(10));

        var result = await RunAsync(options);

        Assert.That(_api.Requests.Select(r => r.Path), Is.EqualTo(new[] { "/v1/batch", "/v1/batch", "/v1/batch", "/admin/tenants/shop/catalog/import" }));
        Assert.That(_api.SentBatches.Select(b => b.GetArrayLength()), Is.EqualTo(new[] { 3, 3, 3 }), "nine customer lines; the NA line is skipped");
        Assert.That(_api.Requests[0].Authorization, Is.EqualTo("Basic " + Convert.ToBase64String("wk:"u8.ToArray())));
        Assert.That(_api.Requests[^1].Authorization, Is.EqualTo("Bearer admin"));
        Assert.That(JsonDocument.Parse(_api.Requests[^1].Body).RootElement.GetArrayLength(), Is.EqualTo(4), "four products");
        Assert.That(result.Progress.Stored, Is.EqualTo(9));
        Assert.That(result.Progress.Skipped[OnlineRetailMapper.NoCustomer], Is.EqualTo(1));
        Assert.That(File.Exists(options.Checkpoint), Is.False, "a finished file leaves no checkpoint");
    }

    [Test]
    public async Task A_stopped_run_keeps_its_checkpoint_and_the_next_run_resumes_after_it()
    {
        var file = RetailFile(10);

        var first = await RunAsync(Options(file, maxRows: 5));
        var checkpoint = BackfillCheckpoint.Load(Options(file).Checkpoint);
        var sentFirst = _api.SentBatches.SelectMany(b => b.EnumerateArray()).Select(m => m.GetProperty("messageId").GetString()).ToList();
        _api.Requests.Clear();
        var second = await RunAsync(Options(file));
        var sentSecond = _api.SentBatches.SelectMany(b => b.EnumerateArray()).Select(m => m.GetProperty("messageId").GetString()).ToList();

        Assert.That(first.ReadToEnd, Is.False);
        Assert.That(first.Catalog, Is.Null, "the catalog waits for the whole file");
        Assert.That(checkpoint!.Row, Is.EqualTo(5));
        Assert.That(sentFirst, Has.Count.EqualTo(4));
        Assert.That(second.ResumedAfter, Is.EqualTo(5));
        Assert.That(sentSecond, Has.Count.EqualTo(5).And.No.AnyOf(sentFirst.ToArray()), "nothing sent twice");
        Assert.That(_api.Requests[^1].Path, Is.EqualTo("/admin/tenants/shop/catalog/import"));
        Assert.That(JsonDocument.Parse(_api.Requests[^1].Body).RootElement.GetArrayLength(), Is.EqualTo(4), "products of rows before the checkpoint too");
    }

    [Test]
    public async Task Too_many_requests_or_unavailable_waits_and_sends_the_same_batch_again()
    {
        _api.Script.Enqueue(() => Busy(HttpStatusCode.TooManyRequests));
        _api.Script.Enqueue(() => Busy(HttpStatusCode.ServiceUnavailable));

        var result = await RunAsync(Options(RetailFile(4), catalog: false));

        var batches = _api.Requests.Select(r => r.Body).ToList();
        Assert.That(batches, Has.Count.EqualTo(3));
        Assert.That(batches.Distinct().Count(), Is.EqualTo(1), "the same batch each time");
        Assert.That(result.Progress.Sent, Is.EqualTo(3));
        Assert.That(_output.ToString(), Does.Contain("429 Too Many Requests; sending the same request again in 0 s (attempt 2 of 10)"));

        static HttpResponseMessage Busy(HttpStatusCode status)
        {
            var busy = Json(status, """{"title":"busy"}""");
            busy.Headers.Add("Retry-After", "0");
            return busy;
        }
    }

    [Test]
    public async Task A_refused_batch_stops_the_run_with_the_problem_and_its_lines()
    {
        var options = Options(RetailFile(10), catalog: false);
        _api.Script.Enqueue(() => Json(HttpStatusCode.OK, """{"success":true,"stored":3,"duplicates":0}"""));
        _api.Script.Enqueue(() => Json(HttpStatusCode.BadRequest,
            """{"title":"The request was rejected; nothing was stored.","status":400,"errors":{"batch[1]":["\"userId\" or \"anonymousId\" is required."]}}"""));

        var error = Assert.ThrowsAsync<BackfillException>(() => RunAsync(options));

        Assert.That(error!.Message, Does.Contain("the API refused the batch of lines 6 to 8; rows up to 4 were acknowledged."));
        Assert.That(error.Message, Does.Contain("The request was rejected; nothing was stored."));
        Assert.That(error.Message, Does.Contain("batch[1] (line 7): \"userId\" or \"anonymousId\" is required."));
        Assert.That(BackfillCheckpoint.Load(options.Checkpoint)!.Row, Is.EqualTo(4));
    }

    [Test]
    public async Task Rows_the_api_dead_letters_as_invalid_are_named_by_line_and_the_run_carries_on()
    {
        var options = Options(RetailFile(10), catalog: false);
        _api.Script.Enqueue(() => Json(HttpStatusCode.OK, """{"success":true,"stored":3,"duplicates":0}"""));
        _api.Script.Enqueue(() => Json(HttpStatusCode.OK,
            """{"success":true,"stored":2,"duplicates":0,"deadLettered":1,"invalid":1,"errors":{"batch[1]":["\"userId\" or \"anonymousId\" is required."]}}"""));

        var result = await RunAsync(options);

        Assert.That(result.ReadToEnd, Is.True);
        Assert.That((result.Progress.Stored, result.Progress.DeadLettered), Is.EqualTo((8L, 1L)));
        Assert.That(_output.ToString(), Does.Contain("dead-lettered 1 invalid row(s) of lines 6 to 8").And.Contain("batch[1] (line 7): \"userId\" or \"anonymousId\" is required."));
        Assert.That(result.Progress.Line(), Does.Contain("1 dead-lettered"));
    }

    [Test]
    public async Task A_checkpoint_of_another_file_is_not_applied()
    {
        var options = Options(RetailFile(4));
        new BackfillCheckpoint("/elsewhere/other.csv", 10, "online-retail", 3, DateTimeOffset.UtcNow).Save(options.Checkpoint);

        var error = Assert.ThrowsAsync<BackfillException>(() => RunAsync(options));

        Assert.That(error!.Message, Does.Contain("was made for /elsewhere/other.csv"));
        Assert.That(_api.Requests, Is.Empty);
    }

    [Test]
    public void Two_runs_cannot_share_a_checkpoint()
    {
        var options = Options(RetailFile(4));
        using var running = BackfillCheckpoint.Lock(options.Checkpoint);

        var error = Assert.ThrowsAsync<BackfillException>(() => RunAsync(options));

        Assert.That(error!.Message, Does.StartWith("another backfill is using the checkpoint"));
        Assert.That(_api.Requests, Is.Empty);
    }
}
