using System.Globalization;
using Personalization.Bench;
using Personalization.RecommendationLoad;

// Load driver for the recommendation serving API, over HTTP on loopback. It stores two models as active versions
// (Online Retail as a training job would make it; 100,000 synthetic items × 64 ALS factors), waits for the service to
// serve them, then drives open-loop phases and prints latency, CPU split and memory. bench/RecommendationLoad/run.sh
// starts the service and runs this.
//
//   RecommendationLoad --url http://127.0.0.1:5390 --pid <service pid> [--postgres <conn>] [--data <online-retail.csv.gz>]
//                      [--duration 30] [--rates 250,500,1000,1500,2000,3000]
string Arg(string name, string? fallback = null)
{
    var at = Array.IndexOf(args, "--" + name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback ?? throw new ArgumentException($"--{name} is required");
}

var url = new Uri(Arg("url"));
if (!url.IsLoopback) throw new ArgumentException("this driver is for the local box only: give a loopback --url");
var pid = int.Parse(Arg("pid"));
var postgres = Arg("postgres", Environment.GetEnvironmentVariable("ConnectionStrings__Postgres"));
var data = Arg("data", Path.Combine("..", "shared", "data", "online-retail.csv.gz"));
var duration = TimeSpan.FromSeconds(double.Parse(Arg("duration", "30"), CultureInfo.InvariantCulture));
var rates = Arg("rates", "250,500,1000,1500,2000,3000").Split(',').Select(r => double.Parse(r, CultureInfo.InvariantCulture)).ToArray();
MachineSampler.ServiceName = "recommendation";
MachineSampler.Database = new Npgsql.NpgsqlConnectionStringBuilder(postgres).Database;

Console.WriteLine($"{Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}");
var registry = BenchModels.Registry(postgres);
var (retailUsers, retailItems) = await BenchModels.StoreRetailAsync(registry, "bench-retail", data);
using var retail = new OpenLoop(url, "bench-retail-token");
const string Options = "count=10&diversity=0.3&filter=popularity%20%3E%3D%201%20%26%26%20id%20!%3D%20%22POST%22";
var random = new Random(7);
string RetailPath(int _) => $"/v1/recommendations/users/{Uri.EscapeDataString(retailUsers[random.Next(retailUsers.Length)])}?{Options}";
await WaitServedAsync(retail, RetailPath);

// Product pages warm the process (JIT, connections) without putting any person's candidates in the cache.
await retail.RunAsync("warm-up", 200, TimeSpan.FromSeconds(10),
    _ => $"/v1/recommendations/items/{Uri.EscapeDataString(retailItems[random.Next(retailItems.Length)])}/related?{Options}");
// Everyone once, in a shuffled order: each request's candidates come from the generators and the ranker.
var firstVisits = retailUsers.ToArray();
random.Shuffle(firstVisits);
await MeasureAsync(retail, "Online Retail, each person's first request (candidate cache cold)", 400, TimeSpan.FromSeconds(firstVisits.Length / 400.0),
    n => $"/v1/recommendations/users/{Uri.EscapeDataString(firstVisits[n])}?{Options}");
var main = await MeasureAsync(retail, "Online Retail, people asking again (candidate cache warm)", 1000, duration, RetailPath);

var largest = 0d;
foreach (var rate in rates)
{
    var phase = await MeasureAsync(retail, "Online Retail warm, stepping up", rate, TimeSpan.FromSeconds(15), RetailPath);
    if (phase.Percentile(99) >= 50 || phase.Errors > 0 || phase.Late > 0) break;
    largest = rate;
}
Console.WriteLine($"largest rate tried with p99 < 50 ms: {largest:N0}/s");

var before = MachineSampler.Memory(pid);
var (syntheticUsers, footprint) = await BenchModels.StoreSyntheticAsync(registry, "bench-synthetic");
Console.WriteLine($"a served 100,000-item × 64-factor model holds {footprint / 1048576.0:F0} MiB of managed memory (measured in this process)");
using var synthetic = new OpenLoop(url, "bench-synthetic-token");
string SyntheticPath(int _) => $"/v1/recommendations/users/{syntheticUsers[random.Next(syntheticUsers.Length)]}?count=10";
await WaitServedAsync(synthetic, SyntheticPath);
var after = MachineSampler.Memory(pid);
Console.WriteLine($"service memory: {before?.CurrentMiB:F0} MiB resident with the retail model, {after?.CurrentMiB:F0} MiB with the 100,000-item model too " +
                  $"(peak {after?.PeakMiB:F0} MiB)");
await synthetic.RunAsync("warm-up", 50, TimeSpan.FromSeconds(10), SyntheticPath);
// 20,000 people and 6,000 requests: most are a person's first.
await MeasureAsync(synthetic, "100,000 items × 64 factors top-10 (mostly first requests)", 200, duration, SyntheticPath);
Console.WriteLine($"summary: retail p99 {main.Percentile(99):F1} ms at 1,000/s warm; largest warm rate at p99 < 50 ms {largest:N0}/s");
return 0;

async Task<PhaseResult> MeasureAsync(OpenLoop loop, string name, double rate, TimeSpan length, Func<int, string> path)
{
    var start = MachineSampler.Take(pid);
    var result = await loop.RunAsync(name, rate, length, path);
    Console.WriteLine(result);
    Console.WriteLine("  " + MachineSampler.Between(start, MachineSampler.Take(pid)));
    return result;
}

static async Task WaitServedAsync(OpenLoop loop, Func<int, string> path)
{
    PhaseResult? probe = null;
    for (var attempt = 0; attempt < 120; attempt++)
    {
        probe = await loop.RunAsync("probe", 1, TimeSpan.FromSeconds(1), path);
        if (probe.Ok == 1) return;
        await Task.Delay(TimeSpan.FromSeconds(1)); // a probe returns as soon as it is answered
    }
    throw new TimeoutException($"the service did not serve the stored model within two minutes; the last probe: {probe}");
}
