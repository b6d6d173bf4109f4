using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

// Freshness: how long from ingestion's 2xx until the person's profile shows the event, under a steady load.
// A background load posts track events at <rate> per second (batches of 100 over 1,000 people, paced every 20 ms).
// Meanwhile probes run one after another: each posts one event for a new person, starts the clock at the 2xx, and
// reads that person's profile every 5 ms until it counts the event. Reading adds at most those 5 ms and one GET.
// Usage: Freshness <ingestion-url> <segmentation-url> [rate=1000] [seconds=30] [read-token=demo-read-token] [write-key=demo-write-key]
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Freshness <ingestion-url> <segmentation-url> [rate=1000] [seconds=30] [read-token=demo-read-token] [write-key=demo-write-key]");
    return 2;
}

var rate = args.Length > 2 ? int.Parse(args[2]) : 1_000;
var duration = TimeSpan.FromSeconds(args.Length > 3 ? int.Parse(args[3]) : 30);
var token = args.Length > 4 ? args[4] : "demo-read-token";
var writeKey = args.Length > 5 ? args[5] : "demo-write-key";
var run = Guid.NewGuid().ToString("N")[..8];
var tick = TimeSpan.FromMilliseconds(20);

using var ingestion = new HttpClient { BaseAddress = new Uri(args[0]) };
ingestion.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
using var segmentation = new HttpClient { BaseAddress = new Uri(args[1]) };
segmentation.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

using var stop = new CancellationTokenSource(duration);
long sent = 0, refused = 0;
var load = Task.Run(() => LoadAsync(stop.Token));
var latencies = new List<double>();
var probe = 0;
var clock = Stopwatch.StartNew();
// The first seconds warm the pipeline up; probes start after them.
await Task.Delay(TimeSpan.FromSeconds(3));
while (!stop.IsCancellationRequested)
{
    var person = $"fresh-{run}-probe-{probe++}";
    var body = Batch([(person, $"{person}-1")]);
    using (var response = await ingestion.PostAsync("/v1/batch", Json(body)))
        if (!response.IsSuccessStatusCode) { Interlocked.Increment(ref refused); continue; }
    var acceptedAt = Stopwatch.GetTimestamp();
    while (true)
    {
        using var read = await segmentation.GetAsync($"/api/profiles/{person}");
        if (read.StatusCode == HttpStatusCode.OK) break;
        if (Stopwatch.GetElapsedTime(acceptedAt) > TimeSpan.FromSeconds(60))
            throw new TimeoutException($"{person}'s event was not in the profile after 60 s (last answer {(int)read.StatusCode})");
        await Task.Delay(5);
    }
    latencies.Add(Stopwatch.GetElapsedTime(acceptedAt).TotalMilliseconds);
}
await load;
var seconds = clock.Elapsed.TotalSeconds;

latencies.Sort();
double Percentile(double p) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
Console.WriteLine($"target-rate={rate}/s achieved-rate={sent / seconds:F0}/s refused-batches={refused} probes={latencies.Count} " +
    $"p50={Percentile(0.50):F0}ms p90={Percentile(0.90):F0}ms p99={Percentile(0.99):F0}ms max={latencies[^1]:F0}ms");
return 0;

async Task LoadAsync(CancellationToken cancellationToken)
{
    var perTick = rate * tick.TotalSeconds;
    var due = 0.0;
    var sequence = 0;
    var inFlight = new List<Task>();
    using var timer = new PeriodicTimer(tick);
    try
    {
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            for (due += perTick; due >= 100; due -= 100)
            {
                var events = Enumerable.Range(sequence, 100).Select(i => ($"fresh-{run}-{i % 1_000}", $"fresh-{run}-{i}")).ToList();
                sequence += 100;
                inFlight.Add(PostAsync(Batch(events)));
            }
            inFlight.RemoveAll(t => t.IsCompleted);
        }
    }
    catch (OperationCanceledException)
    {
        // The run is over.
    }
    await Task.WhenAll(inFlight);
}

async Task PostAsync(string body)
{
    using var response = await ingestion.PostAsync("/v1/batch", Json(body));
    if (response.IsSuccessStatusCode) Interlocked.Add(ref sent, 100);
    else Interlocked.Increment(ref refused);
}

static string Batch(IEnumerable<(string User, string MessageId)> events) => JsonSerializer.Serialize(new
{
    batch = events.Select(e => new { type = "track", @event = "Product Viewed", userId = e.User, messageId = e.MessageId, properties = new { product_id = "sku-1" } }),
});

static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
