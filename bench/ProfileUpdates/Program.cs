using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Personalization.Contracts;
using Personalization.Contracts.V1;

// Profile updates per second from RabbitMQ: publishes EventRecorded messages straight to the broker (as the relay
// does) for a fresh tenant, then polls Segmentation until every profile has counted its events.
// Usage: ProfileUpdates <amqp-uri> <segmentation-url> [events=20000] [users=1000] [read-token=demo-read-token]
// The messages go to the read token's tenant ("demo" under ./run.sh), for people no other run uses.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: ProfileUpdates <amqp-uri> <segmentation-url> [events=20000] [users=1000] [read-token=demo-read-token]");
    return 2;
}

var rabbit = new Uri(args[0]);
var events = args.Length > 2 ? int.Parse(args[2]) : 20_000;
var users = args.Length > 3 ? int.Parse(args[3]) : 1_000;
var token = args.Length > 4 ? args[4] : "demo-read-token";
var tenant = "demo";
var run = Guid.NewGuid().ToString("N")[..8];
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
const int inFlight = 200;
for (var start = 0; start < events; start += inFlight)
{
    await Task.WhenAll(Enumerable.Range(start, Math.Min(inFlight, events - start)).Select(i =>
    {
        var user = $"bench-{run}-{i % users}";
        var message = new EventRecorded(Guid.NewGuid(), i, tenant, "bench", StreamKey.ForUser(tenant, user).ToString(), ++versions[i % users], $"m-{i}",
            EventTypes.Track, "Product Viewed", user, null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, payload);
        return bus.Publish(message, context => context.MessageId = message.EventId);
    }));
}
var published = clock.Elapsed;
await bus.StopAsync();

using var http = new HttpClient { BaseAddress = new Uri(args[1]) };
http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
var expected = Enumerable.Range(0, users).ToDictionary(u => $"bench-{run}-{u}", u => (long)Enumerable.Range(0, events).Count(i => i % users == u));
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
Console.WriteLine($"events={events} users={users} publish={published.TotalSeconds:F1}s all-applied={total.TotalSeconds:F1}s profile-updates/s={events / total.TotalSeconds:F0}");
return 0;
