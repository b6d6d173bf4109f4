using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

// Profile updates per second through the real pipeline: posts track events for a fresh set of people to the
// ingestion API (batches of 100, 8 at a time, as fast as it takes them), and polls Segmentation until every profile
// has counted its events. The events go through the event log, the relay and RabbitMQ as live traffic does, so the
// figure is the slowest of those stages; ingestion and the relay each take several times the profile rate.
// With segments > 0, that many rule segments (over the events sent) are defined first and deleted after; with
// catch-up, one more segment is defined once every profile is up to date, and the time its catch-up run takes over
// the tenant is timed. With activity=zipf, the i-th most active person sends events in proportion to 1/i (real
// traffic is skewed); uniform gives everyone the same share.
// Usage: ProfileUpdates <ingestion-url> <segmentation-url> [events=20000] [users=1000] [segments=0] [catch-up=false]
//                       [read-token=demo-read-token] [admin-token=demo-admin-token] [activity=uniform|zipf] [write-key=demo-write-key]
// The events go to the tenant of the tokens ("demo" under ./run.sh), for people no other run uses.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: ProfileUpdates <ingestion-url> <segmentation-url> [events=20000] [users=1000] [segments=0] [catch-up=false] [read-token=demo-read-token] [admin-token=demo-admin-token] [activity=uniform|zipf] [write-key=demo-write-key]");
    return 2;
}

var events = args.Length > 2 ? int.Parse(args[2]) : 20_000;
var users = args.Length > 3 ? int.Parse(args[3]) : 1_000;
var segmentCount = args.Length > 4 ? int.Parse(args[4]) : 0;
var catchUp = args.Length > 5 && bool.Parse(args[5]);
var token = args.Length > 6 ? args[6] : "demo-read-token";
var adminToken = args.Length > 7 ? args[7] : "demo-admin-token";
var zipf = args.Length > 8 && args[8] == "zipf";
var writeKey = args.Length > 9 ? args[9] : "demo-write-key";
var tenant = "demo";
var run = Guid.NewGuid().ToString("N")[..8];

using var admin = new HttpClient { BaseAddress = new Uri(args[1]) };
admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
var defined = new List<string>();
for (var i = 0; i < segmentCount; i++) defined.Add(await DefineAsync($"bench-{run}-{i}", BenchSegments.Condition(i)));
// The definitions reach every replica within TenantSegments.CacheFor (2 s).
if (segmentCount > 0) await Task.Delay(TimeSpan.FromSeconds(3));

using var ingestion = new HttpClient { BaseAddress = new Uri(args[0]) };
ingestion.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
var versions = new long[users];
var people = Activity(events, users, zipf);
var bodies = Enumerable.Range(0, events).Select(i =>
{
    versions[people[i]]++;
    return new { type = "track", @event = "Product Viewed", userId = $"bench-{run}-{people[i]}", messageId = $"bench-{run}-{i}", properties = new { product_id = "sku-1" } };
}).Chunk(100).Select(batch => JsonSerializer.Serialize(new { batch })).ToList();

var feedBefore = await admin.GetFromJsonAsync<JsonElement>("/admin/profiles/feed");
var clock = Stopwatch.StartNew();
await Parallel.ForEachAsync(bodies, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (body, cancellationToken) =>
{
    using var response = await ingestion.PostAsync("/v1/batch", new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);
    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"ingestion answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
});
var published = clock.Elapsed;

using var http = new HttpClient { BaseAddress = new Uri(args[1]) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
// With no events (catch-up only, over people posted through the ingestion API beforehand) there is nothing to wait for.
var expected = Enumerable.Range(0, users).Where(u => versions[u] > 0).ToDictionary(u => $"bench-{run}-{u}", u => versions[u]);
var deadline = DateTime.UtcNow.AddMinutes(10);
while (expected.Count > 0 && DateTime.UtcNow < deadline)
{
    // In key order, 64 reads at a time, until one is behind: cheap while the pipeline works, quick at the end.
    foreach (var chunk in expected.ToList().Chunk(64))
    {
        var caughtUp = await Task.WhenAll(chunk.Select(async pair => (pair.Key, Done: await HasCountedAsync(pair.Key, pair.Value))));
        foreach (var (user, done) in caughtUp)
            if (done) expected.Remove(user);
        if (caughtUp.Any(c => !c.Done)) break;
    }
    if (expected.Count > 0) await Task.Delay(200);
}

// Every event counts once, as applied or as excluded (a hot Zipf person's events are screened as a burst).
async Task<bool> HasCountedAsync(string user, long count)
{
    using var response = await http.GetAsync($"/api/profiles/{user}");
    if (!response.IsSuccessStatusCode) return false;
    var profile = await response.Content.ReadFromJsonAsync<JsonElement>();
    return profile.GetProperty("eventCount").GetInt64() + profile.GetProperty("excludedEvents").GetInt64() >= count;
}

var total = clock.Elapsed;
if (expected.Count > 0)
{
    Console.Error.WriteLine($"{expected.Count} profiles had not caught up after 10 minutes.");
    return 1;
}
Console.WriteLine($"events={events} users={users} active={versions.Count(v => v > 0)} activity={(zipf ? "zipf" : "uniform")} segments={segmentCount} posted={published.TotalSeconds:F1}s all-applied={total.TotalSeconds:F1}s profile-updates/s={events / total.TotalSeconds:F0}");
// Segmentation's own count (one replica's: run the bench against a single one for this line).
var feedAfter = await admin.GetFromJsonAsync<JsonElement>("/admin/profiles/feed");
long Fed(string name) => feedAfter.GetProperty(name).GetInt64() - feedBefore.GetProperty(name).GetInt64();
Console.WriteLine($"actor-calls={Fed("actorCalls")} events-fed={Fed("eventsFed")} events-per-call={(double)Fed("eventsFed") / Math.Max(1, Fed("actorCalls")):F1} gap-filling-log-reads={Fed("logReads")}");

if (catchUp)
{
    var watch = Stopwatch.StartNew();
    var id = await DefineAsync($"bench-{run}-new", BenchSegments.Condition(3));
    JsonElement status;
    do
    {
        await Task.Delay(500);
        status = (await admin.GetFromJsonAsync<JsonElement>($"/admin/tenants/{tenant}/segments/{id}")).GetProperty("catchUp");
    } while (status.GetProperty("state").GetString() is "pending" or "running");
    Console.WriteLine($"catch-up of a new definition: state={status.GetProperty("state").GetString()} profiles={status.GetProperty("done")} seconds={watch.Elapsed.TotalSeconds:F1}");
    defined.Add(id);
}
foreach (var id in defined) (await admin.DeleteAsync($"/admin/tenants/{tenant}/segments/{id}")).EnsureSuccessStatusCode();
return 0;

// Who sends each event: person i % users in turn, or drawn with weight 1/(rank+1), from a fixed seed.
static int[] Activity(int events, int users, bool zipf)
{
    if (!zipf) return Enumerable.Range(0, events).Select(i => i % users).ToArray();
    var cumulative = new double[users];
    var total = 0.0;
    for (var u = 0; u < users; u++) cumulative[u] = total += 1.0 / (u + 1);
    var random = new Random(42);
    return Enumerable.Range(0, events).Select(_ =>
    {
        var at = Array.BinarySearch(cumulative, random.NextDouble() * total);
        return Math.Min(at < 0 ? ~at : at, users - 1);
    }).ToArray();
}

async Task<string> DefineAsync(string id, string condition)
{
    using var response = await admin.PutAsync($"/admin/tenants/{tenant}/segments/{id}",
        new StringContent($$"""{"name": "{{id}}", "condition": {{condition}}}""", System.Text.Encoding.UTF8, "application/json"));
    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"defining {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    return id;
}
