using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Dapr.Actors;
using Dapr.Actors.Client;
using Personalization.ActorCalls;
using Personalization.DaprSidecar;

// Actor calls per second and latency through the sidecar: a remoting ActorProxy client calling a trivial actor hosted
// by a real Dapr.Actors app, both in this process on loopback.
// Usage: ActorCalls [calls=20000] [concurrency=64] [actors=100] [--rate N] [--sidecar http://127.0.0.1:3500 --app-url http://127.0.0.1:5300]
//   --rate N: open loop, one call every 1/N s whatever the answers (as Dapr's published 500 QPS figures); else closed loop.
//   Without --sidecar the emulator runs in-process (needs ConnectionStrings__Postgres; tools/infra.sh env prints it).
//   With --sidecar, an already running sidecar (the emulator or daprd) must list --app-url among its apps.
const int MaxCalls = 200_000;
var positional = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).Select(int.Parse).ToArray();
var calls = Math.Clamp(positional.ElementAtOrDefault(0) is > 0 and var c ? c : 20_000, 1, MaxCalls);
var concurrency = Math.Clamp(positional.ElementAtOrDefault(1) is > 0 and var k ? k : 64, 1, 1_024);
var actors = Math.Clamp(positional.ElementAtOrDefault(2) is > 0 and var n ? n : 100, 1, 100_000);
var sidecarArg = Named("--sidecar");
var appUrl = new Uri(Named("--app-url") ?? $"http://127.0.0.1:{FreePort()}");

WebApplication? emulator = null;
Uri sidecar;
if (sidecarArg is null)
{
    var postgres = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres")
        ?? throw new InvalidOperationException("Set ConnectionStrings__Postgres (tools/infra.sh env prints it) or pass --sidecar.");
    sidecar = new Uri($"http://127.0.0.1:{FreePort()}");
    emulator = SidecarHost.Build(["--urls", sidecar.ToString()], builder =>
    {
        builder.Configuration["ConnectionStrings:Postgres"] = postgres;
        builder.Configuration["Sidecar:Apps:0"] = appUrl.ToString();
        builder.Configuration["Sidecar:Schema"] = "dapr_sidecar_bench";
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
    });
    await emulator.StartAsync();
}
else
{
    sidecar = new Uri(sidecarArg);
}
if (!IPAddress.TryParse(sidecar.Host, out var host) || !IPAddress.IsLoopback(host) || !IPAddress.TryParse(appUrl.Host, out var appHost) || !IPAddress.IsLoopback(appHost))
    throw new InvalidOperationException("The benchmark runs on loopback only: use 127.0.0.1 addresses.");

var appBuilder = WebApplication.CreateBuilder();
appBuilder.WebHost.UseUrls(appUrl.ToString());
appBuilder.Configuration["DAPR_HTTP_ENDPOINT"] = sidecar.ToString();
appBuilder.Logging.SetMinimumLevel(LogLevel.Warning);
appBuilder.Services.AddActors(options => options.Actors.RegisterActor<BenchActor>());
var app = appBuilder.Build();
app.MapActorsHandlers();
await app.StartAsync();

var options = new ActorProxyOptions { HttpEndpoint = sidecar.ToString(), DaprApiToken = Environment.GetEnvironmentVariable("DAPR_API_TOKEN") ?? "" };
var proxies = Enumerable.Range(0, actors).Select(i => ActorProxy.Create<IBenchActor>(new ActorId($"bench-{i}"), nameof(BenchActor), options)).ToArray();

// Warm-up: discovery, proxy code generation, connection pools, one activation per actor.
await Task.WhenAll(proxies.Select(p => p.PingAsync(0)));

var rate = Named("--rate") is { } perSecond ? int.Parse(perSecond) : 0;
var latencies = new double[calls];
var next = -1;
var clock = Stopwatch.StartNew();
if (rate > 0)
{
    var inFlight = new List<Task>(calls);
    for (var i = 0; i < calls; i++)
    {
        var wait = TimeSpan.FromSeconds((double)i / rate) - clock.Elapsed;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        inFlight.Add(CallAsync(i));
    }
    await Task.WhenAll(inFlight);
}
else
{
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < calls)
            await CallAsync(i);
    }));
}
var elapsed = clock.Elapsed;

async Task CallAsync(int i)
{
    var started = Stopwatch.GetTimestamp();
    await proxies[i % actors].PingAsync(i);
    latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}

Array.Sort(latencies);
double Percentile(double p) => latencies[Math.Min(calls - 1, (int)Math.Ceiling(p * calls) - 1)];
Console.WriteLine($"sidecar      {(emulator is null ? sidecar : "in-process emulator")}");
Console.WriteLine($"calls        {calls} over {actors} actors, {(rate > 0 ? $"open loop at {rate}/s" : $"concurrency {concurrency}")}");
Console.WriteLine($"throughput   {calls / elapsed.TotalSeconds:N0} calls/s ({elapsed.TotalSeconds:N2} s)");
Console.WriteLine($"latency ms   p50 {Percentile(0.50):N2}  p99 {Percentile(0.99):N2}  max {latencies[^1]:N2}");

await app.StopAsync();
if (emulator is not null) await emulator.StopAsync();
return 0;

string? Named(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}
