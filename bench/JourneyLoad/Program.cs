using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

// Journeys under load, against a running platform (./run.sh): publishes a journey of its own for the "demo" tenant
// (entry on a "Bench Started" event of this run, a wait, an email), then posts an identify (with an email address)
// and the entry event for each of <people> people to the tracking API (so they are in the event log, which
// Segmentation and Triggers read back when deliveries come out of order). It reports
//   - entries/s: occurrences started per second, from the first message to the last entry;
//   - wait lateness p50/p99/max: how long after its time each wait ended, with all the people waiting at once
//     (the wait is long enough that every entry is in before the first ends);
//   - sends/s: emails the SMTP server took per second once the waits ended, and queue-to-sent latency p50/p99.
// It reads the figures from Triggers' tables (the journey's record), so it needs the database too.
// Usage: JourneyLoad <ingestion-url> <triggers-url> <postgres-connection-string> [people=10000] [wait-seconds=90] [admin-token=demo-admin-token] [write-key=demo-write-key]
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: JourneyLoad <ingestion-url> <triggers-url> <postgres-connection-string> [people=10000] [wait-seconds=90] [admin-token=demo-admin-token] [write-key=demo-write-key]");
    return 2;
}
var people = args.Length > 3 ? int.Parse(args[3]) : 10_000;
var wait = TimeSpan.FromSeconds(args.Length > 4 ? int.Parse(args[4]) : 90);
var adminToken = args.Length > 5 ? args[5] : "demo-admin-token";
var writeKey = args.Length > 6 ? args[6] : "demo-write-key";
const string tenant = "demo";
var run = Guid.NewGuid().ToString("N")[..8];
var journey = $"bench-{run}";

using var admin = new HttpClient { BaseAddress = new Uri(args[1]) };
admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", adminToken);
await PutAsync($"templates/bench-email", new { name = "Bench email", channel = "email", subject = "Bench {{ event.properties.n }}", text = "Hello {{ event.properties.n }}" });
await PutAsync($"journeys/{journey}", new
{
    name = $"Bench {run}", entry = new Dictionary<string, object> { ["event"] = "Bench Started", ["where"] = new { run } }, key = "n",
    steps = new object[] { new { id = "wait", wait = $"PT{wait.TotalSeconds}S" }, new { id = "email", send = new { channel = "email", template = "bench-email" } } },
});
(await admin.PostAsync($"/admin/tenants/{tenant}/journeys/{journey}/publish", null)).EnsureSuccessStatusCode();

using var ingestion = new HttpClient { BaseAddress = new Uri(args[0]) };
ingestion.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
    Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(writeKey + ":")));
var clock = Stopwatch.StartNew();
var started = DateTimeOffset.UtcNow;
const int perBatch = 100;
const int inFlight = 4;
var batches = Enumerable.Range(0, people).Chunk(perBatch).Select(chunk => new
{
    batch = chunk.SelectMany(n => new object[]
    {
        new { type = "identify", userId = $"bench-{run}-{n}", messageId = $"bench-{run}-{n}-identify", traits = new { email = $"bench-{run}-{n}@bench.example" } },
        new { type = "track", userId = $"bench-{run}-{n}", messageId = $"bench-{run}-{n}-start", @event = "Bench Started", properties = new { run, n } },
    }),
}).ToList();
for (var start = 0; start < batches.Count; start += inFlight)
    await Task.WhenAll(batches.Skip(start).Take(inFlight).Select(async batch =>
    {
        using var response = await ingestion.PostAsJsonAsync("/v1/batch", batch);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"batch: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }));
var published = clock.Elapsed;

await using var data = NpgsqlDataSource.Create(args[2]);
async Task<T> ScalarAsync<T>(string sql)
{
    await using var command = data.CreateCommand(sql);
    command.Parameters.AddWithValue(tenant);
    command.Parameters.AddWithValue(journey);
    return (T)(await command.ExecuteScalarAsync())!;
}
await UntilAsync("select count(*) from triggers.occurrences where tenant_id = $1 and journey_id = $2", TimeSpan.FromMinutes(10), "entries");
var lastEntry = await ScalarAsync<DateTime>("select max(entered_at) from triggers.occurrences where tenant_id = $1 and journey_id = $2");
var firstDue = await ScalarAsync<DateTime>("select min(entered_at) from triggers.occurrences where tenant_id = $1 and journey_id = $2") + wait;
var entriesPerSecond = people / (new DateTimeOffset(lastEntry, TimeSpan.Zero) - started).TotalSeconds;
Console.WriteLine($"people={people} wait={wait.TotalSeconds}s posted={published.TotalSeconds:F1}s entries/s={entriesPerSecond:F0} " +
                  $"all waiting before the first wait ended: {lastEntry < firstDue}");

await UntilAsync("select count(*) from triggers.outbox where tenant_id = $1 and journey_id = $2 and status = 'Sent'", wait + TimeSpan.FromMinutes(15), "sends");
var lateness = await ScalarAsync<double[]>("""
    select percentile_cont(array[0.5, 0.99, 1.0]) within group (order by extract(epoch from q.at - w.detail::timestamptz) * 1000)
    from triggers.journey_log w join triggers.journey_log q on q.actor_id = w.actor_id and q.number = w.number and q.outcome = 'queued'
    where w.tenant_id = $1 and w.journey_id = $2 and w.outcome = 'waiting'
    """);
Console.WriteLine($"wait lateness ms: p50={lateness[0]:F0} p99={lateness[1]:F0} max={lateness[2]:F0}");
var sendSpan = await ScalarAsync<double>("select extract(epoch from max(sent_at) - min(sent_at))::float8 from triggers.outbox where tenant_id = $1 and journey_id = $2 and status = 'Sent'");
var sendLatency = await ScalarAsync<double[]>("""
    select percentile_cont(array[0.5, 0.99]) within group (order by extract(epoch from sent_at - created_at) * 1000)
    from triggers.outbox where tenant_id = $1 and journey_id = $2 and status = 'Sent'
    """);
Console.WriteLine($"sends/s={people / Math.Max(sendSpan, 0.001):F0} over {sendSpan:F1}s; queued-to-sent ms: p50={sendLatency[0]:F0} p99={sendLatency[1]:F0}");
(await admin.PostAsync($"/admin/tenants/{tenant}/journeys/{journey}/archive", null)).EnsureSuccessStatusCode();
return 0;

async Task UntilAsync(string countSql, TimeSpan timeout, string what)
{
    var deadline = DateTime.UtcNow + timeout;
    long count;
    while ((count = await ScalarAsync<long>(countSql)) < people)
    {
        if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what}: {count} of {people} after {timeout}");
        await Task.Delay(250);
    }
}

async Task PutAsync(string path, object body)
{
    using var response = await admin.PutAsJsonAsync($"/admin/tenants/{tenant}/{path}", body);
    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
}
