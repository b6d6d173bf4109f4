using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Npgsql;
using Personalization.Chaos;
using Personalization.TestSupport;

// Chaos under load (bench/Chaos/chaos.sh): a steady load through the tracking API while, in turn, the ingestion API,
// the relay, Segmentation, the sidecar, RabbitMQ and PostgreSQL are killed (kill -9; PostgreSQL in immediate mode) and
// started again a few seconds later. Then every event that got a 2xx must be in the event log once and counted once in
// its person's profile; batches that got a 5xx or no answer were sent again, as the SDKs do, and must not count twice.
// Runs on a PostgreSQL and RabbitMQ of its own (tools/infra.sh instance "chaos"), so nothing else is disturbed.
// Usage: Chaos [rate=2000] [users=2000] [down-seconds=5] [settle-seconds=15]
var rate = args.Length > 0 ? int.Parse(args[0]) : 2_000;
var users = args.Length > 1 ? int.Parse(args[1]) : 2_000;
var down = TimeSpan.FromSeconds(args.Length > 2 ? int.Parse(args[2]) : 5);
var settle = TimeSpan.FromSeconds(args.Length > 3 ? int.Parse(args[3]) : 15);
var run = Guid.NewGuid().ToString("N")[..8];
var tenant = "chaos-" + run;
var clock = Stopwatch.StartNew();
void Say(string line) => Console.WriteLine($"[{clock.Elapsed.TotalSeconds,6:F1}s] {line}");

var infra = InfraInstance.Own("chaos", postgresPort: 55472, rabbitMqPort: 55712);
var settings = await infra.UpAsync();
var database = await TestDatabase.CreateAsync("chaos", settings.PostgresConnectionString);
var platform = new ChaosPlatform(tenant, settings, database.ConnectionString);
var exitCode = 1;
try
{
    await platform.StartAsync();
    Say($"platform up; load {rate} events/s over {users} people; each part down {down.TotalSeconds:F0} s, then {settle.TotalSeconds:F0} s to settle");

    using var ingestion = new HttpClient { BaseAddress = platform["ingestion"].BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
    ingestion.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(ChaosPlatform.WriteKey + ":")));
    var load = new SdkLikeLoad(ingestion, run, rate, users);
    using var stopLoad = new CancellationTokenSource();
    var loading = load.RunAsync(stopLoad.Token);
    var meter = load.RateMeter();

    await Task.Delay(settle);
    Say($"steady: {meter():F0} accepted/s");
    foreach (var part in new[] { "ingestion", "relay", "segmentation", "sidecar", "rabbitmq", "postgres" })
    {
        Say($"kill -9 {part}");
        if (platform.Services.Contains(part)) await platform.KillAsync(part);
        else await infra.CrashAsync(part);
        await Task.Delay(down);
        if (platform.Services.Contains(part)) await platform.RestartAsync(part);
        else await infra.UpAsync();
        Say($"{part} started again");
        await Task.Delay(settle);
        Say($"accepted {meter():F0}/s since the kill of {part}; {load.RetriedBatches} batches sent again so far");
    }
    stopLoad.Cancel();
    await loading;
    NpgsqlConnection.ClearAllPools();
    Say($"load stopped: {load.AcceptedEvents} events accepted; {load.RetriedBatches} batches ({load.RetriedEvents} events) needed more than one try ({load.FailedTries} failed tries)");

    var stored = await StoredByUserAsync();
    var drainStarted = clock.Elapsed;
    var profiled = await ProfiledByUserAsync(load.AcceptedByUser, TimeSpan.FromMinutes(10));
    Say($"profiles caught up {(clock.Elapsed - drainStarted).TotalSeconds:F0} s after the load stopped");

    var accepted = load.AcceptedByUser;
    var people = accepted.Keys.ToList();
    int Over(IReadOnlyDictionary<string, long> counts) => people.Count(u => counts.GetValueOrDefault(u) > accepted[u]);
    int Under(IReadOnlyDictionary<string, long> counts) => people.Count(u => counts.GetValueOrDefault(u) < accepted[u]);
    Console.WriteLine($"accepted={accepted.Values.Sum()} stored={stored.Values.Sum()} profiled={profiled.Values.Sum()} people={people.Count}");
    Console.WriteLine($"people stored more than accepted={Over(stored)} fewer={Under(stored)}; counted in the profile more={Over(profiled)} fewer={Under(profiled)}");
    exitCode = Over(stored) + Under(stored) + Over(profiled) + Under(profiled) == 0 ? 0 : 1;
    Console.WriteLine(exitCode == 0 ? "every accepted event is stored once and counted once" : "MISMATCH: see the counts above");
}
finally
{
    await platform.DisposeAsync();
    NpgsqlConnection.ClearAllPools();
    await database.DisposeAsync();
    await infra.DownAsync();
}
return exitCode;

async Task<Dictionary<string, long>> StoredByUserAsync()
{
    await using var connection = new NpgsqlConnection(database.ConnectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(
        "select stream_id, count(*) from ingestion.mt_events where stream_id like @prefix group by stream_id", connection);
    command.Parameters.AddWithValue("prefix", $"{tenant}/user:%");
    var counts = new Dictionary<string, long>();
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync()) counts[reader.GetString(0)[$"{tenant}/user:".Length..]] = reader.GetInt64(1);
    return counts;
}

// Waits until each person's profile counts at least what was accepted (or the time runs out), then reads them all again.
async Task<Dictionary<string, long>> ProfiledByUserAsync(IReadOnlyDictionary<string, int> accepted, TimeSpan within)
{
    using var segmentation = new HttpClient { BaseAddress = platform["segmentation"].BaseAddress };
    segmentation.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ChaosPlatform.ReadToken);
    var deadline = DateTime.UtcNow + within;
    var counts = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
    var waiting = accepted.Keys.ToList();
    while (waiting.Count > 0 && DateTime.UtcNow < deadline)
    {
        await Parallel.ForEachAsync(waiting, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (user, ct) => counts[user] = await ProfiledAsync(segmentation, user, ct));
        waiting = waiting.Where(u => counts[u] < accepted[u]).ToList();
        if (waiting.Count > 0) await Task.Delay(1_000);
    }
    // Redeliveries still on their way would show now.
    await Task.Delay(TimeSpan.FromSeconds(3));
    await Parallel.ForEachAsync(accepted.Keys, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (user, ct) => counts[user] = await ProfiledAsync(segmentation, user, ct));
    return new Dictionary<string, long>(counts);
}

static async Task<long> ProfiledAsync(HttpClient segmentation, string user, CancellationToken cancellationToken)
{
    using var response = await segmentation.GetAsync($"/api/profiles/{Uri.EscapeDataString(user)}", cancellationToken);
    if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.ServiceUnavailable) return 0;
    response.EnsureSuccessStatusCode();
    using var profile = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
    // An event flagged at ingestion (a burst, say) still reaches the profile, as an excluded one.
    return profile.RootElement.GetProperty("eventCount").GetInt64() + profile.RootElement.GetProperty("excludedEvents").GetInt64();
}
