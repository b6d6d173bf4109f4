using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Personalization.Contracts;
using Personalization.Contracts.V1;

// Profile updates per second from RabbitMQ: publishes EventsRecorded messages straight to the broker (as the relay
// does) for a fresh tenant, then polls Segmentation until every profile has counted its events. With segments > 0,
// that many rule segments (over the events sent) are defined first and deleted after; with catch-up, one more
// segment is defined once every profile is up to date, and the time its catch-up run takes over the tenant is timed.
// A catch-up run walks the tenant's streams in the event log, which these messages bypass: to time it over many
// people, post their events through the ingestion API first and run with events=0.
// With activity=zipf, the i-th most active person sends events in proportion to 1/i (as real traffic is skewed);
// uniform gives everyone the same share.
// Usage: ProfileUpdates <amqp-uri> <segmentation-url> [events=20000] [users=1000] [segments=0] [catch-up=false]
//                       [read-token=demo-read-token] [admin-token=demo-admin-token] [activity=uniform|zipf]
// The messages go to the read token's tenant ("demo" under ./run.sh), for people no other run uses.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: ProfileUpdates <amqp-uri> <segmentation-url> [events=20000] [users=1000] [segments=0] [catch-up=false] [read-token=demo-read-token] [admin-token=demo-admin-token] [activity=uniform|zipf]");
    return 2;
}

var rabbit = new Uri(args[0]);
var events = args.Length > 2 ? int.Parse(args[2]) : 20_000;
var users = args.Length > 3 ? int.Parse(args[3]) : 1_000;
var segmentCount = args.Length > 4 ? int.Parse(args[4]) : 0;
var catchUp = args.Length > 5 && bool.Parse(args[5]);
var token = args.Length > 6 ? args[6] : "demo-read-token";
var adminToken = args.Length > 7 ? args[7] : "demo-admin-token";
var zipf = args.Length > 8 && args[8] == "zipf";
var tenant = "demo";
var run = Guid.NewGuid().ToString("N")[..8];

using var admin = new HttpClient { BaseAddress = new Uri(args[1]) };
admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", adminToken);
var defined = new List<string>();
for (var i = 0; i < segmentCount; i++) defined.Add(await DefineAsync($"bench-{run}-{i}", BenchSegments.Condition(i)));
// The definitions reach every replica within TenantSegments.CacheFor (2 s).
if (segmentCount > 0) await Task.Delay(TimeSpan.FromSeconds(3));
var credentials = Uri.UnescapeDataString(rabbit.UserInfo).Split(':', 2);

var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(rabbit, h =>
{
    h.Username(credentials[0]);
    h.Password(credentials[1]);
}));
await bus.StartAsync();

var clock = Stopwatch.StartNew();
var payload = JsonSerializer.SerializeToElement(new { properties = new { product_id = "sku-1" } });
var versions = new long[users];
var people = Activity(events, users, zipf);
// As the relay sends them: messages of 100 events in log order (the relay keeps a person's events of one page together).
const int eventsPerMessage = 100, messagesInFlight = 20;
var messages = Enumerable.Range(0, events).Select(i =>
{
    var user = $"bench-{run}-{people[i]}";
    return new EventRecorded(Guid.NewGuid(), i, tenant, "bench", StreamKey.ForUser(tenant, user).ToString(), ++versions[people[i]], $"m-{i}",
        EventTypes.Track, "Product Viewed", user, null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, payload);
}).Chunk(eventsPerMessage).Select(chunk => new EventsRecorded(chunk)).ToList();
// Segmentation makes one actor call per person per message.
var actorCalls = messages.Sum(m => m.Events.Select(e => e.StreamKey).Distinct().Count());
foreach (var group in messages.Chunk(messagesInFlight))
    await Task.WhenAll(group.Select(message => bus.Publish(message)));
var published = clock.Elapsed;
await bus.StopAsync();

using var http = new HttpClient { BaseAddress = new Uri(args[1]) };
http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
// With no events (catch-up only, over people posted through the ingestion API beforehand) there is nothing to wait for.
var expected = Enumerable.Range(0, users).Where(u => versions[u] > 0).ToDictionary(u => $"bench-{run}-{u}", u => versions[u]);
var deadline = DateTime.UtcNow.AddMinutes(10);
while (expected.Count > 0 && DateTime.UtcNow < deadline)
{
    foreach (var (user, count) in expected.ToList())
    {
        using var response = await http.GetAsync($"/api/profiles/{user}");
        if (!response.IsSuccessStatusCode) break;
        var profile = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (profile.GetProperty("eventCount").GetInt64() < count) break;
        expected.Remove(user);
    }
    if (expected.Count > 0) await Task.Delay(200);
}

var total = clock.Elapsed;
if (expected.Count > 0)
{
    Console.Error.WriteLine($"{expected.Count} profiles had not caught up after 10 minutes.");
    return 1;
}
Console.WriteLine($"events={events} users={users} active={versions.Count(v => v > 0)} activity={(zipf ? "zipf" : "uniform")} segments={segmentCount} publish={published.TotalSeconds:F1}s all-applied={total.TotalSeconds:F1}s profile-updates/s={events / total.TotalSeconds:F0} events-per-actor-call={(double)events / Math.Max(1, actorCalls):F2}");

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
