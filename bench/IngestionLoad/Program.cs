using System.Globalization;
using Npgsql;
using Personalization.Bench;
using Personalization.IngestionLoad;

// Load driver for the Ingestion API and the raw Marten append it is compared with. Loopback only, bounded in time
// and in events; it starts nothing itself. bench/IngestionLoad/run.sh builds, starts an API and runs this.
//
//   IngestionLoad --url http://127.0.0.1:5100 --write-key bench-key --tenant bench --pid <api pid>
//                 [--postgres <connection string>] [--connections 8,32] [--duration 30] [--rate 10000]
//                 [--open-duration 30] [--warmup 20] [--users 100000] [--max-events 5000000] [--raw-events 200000] [--skip-raw] [--skip-http]
//                 [--fsync-probe 60 --probe-dir <a directory on the database's disk>]
//
// --postgres defaults to $ConnectionStrings__Postgres; it must be the database the API writes to.

var options = Arguments.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: IngestionLoad --url <api> --write-key <key> [--tenant <tenant of the key>] [--pid <api pid>] [--postgres <conn>] " +
                            "[--connections 8,32] [--duration 30] [--rate 10000] [--open-duration 30] [--warmup 20] [--users 100000] [--max-events 5000000] [--raw-events 200000] [--skip-raw] [--skip-http] " +
                            "[--fsync-probe SECONDS --probe-dir DIR]");
    return 2;
}

var url = new Uri(options.Get("url"));
if (!url.IsLoopback)
{
    Console.Error.WriteLine("Refusing a non-loopback --url: this driver is for the local box only.");
    return 2;
}
var writeKey = options.Get("write-key");
var tenant = options.Get("tenant", "bench");
int? pid = options.Has("pid") ? int.Parse(options.Get("pid")) : null;
var postgres = options.Get("postgres", Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") ?? "");
var connectionCounts = options.Get("connections", "8,32").Split(',').Select(int.Parse).ToArray();
var duration = TimeSpan.FromSeconds(double.Parse(options.Get("duration", "30"), CultureInfo.InvariantCulture));
var rate = double.Parse(options.Get("rate", "10000"), CultureInfo.InvariantCulture);
var openDuration = TimeSpan.FromSeconds(double.Parse(options.Get("open-duration", "30"), CultureInfo.InvariantCulture));
var users = int.Parse(options.Get("users", "100000"));
var warmup = TimeSpan.FromSeconds(double.Parse(options.Get("warmup", "20"), CultureInfo.InvariantCulture));
var rawEvents = long.Parse(options.Get("raw-events", "200000"));
const int eventsPerBatch = 100;
// A phase also stops after this many events, so a long run cannot fill the disk by accident.
var maxEventsPerPhase = long.Parse(options.Get("max-events", "5000000"));

MachineSampler.Database = string.IsNullOrEmpty(postgres) ? null : new NpgsqlConnectionStringBuilder(postgres).Database;
var runId = DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6];
Console.WriteLine($"run {runId}: {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}");

var bodies = new BatchBodies(runId, users, eventsPerBatch);
using var load = new TrackingLoad(url, writeKey, bodies, connectionCounts.Max() + 64);
await using var database = string.IsNullOrEmpty(postgres) ? null : NpgsqlDataSource.Create(postgres);
var report = new List<string>();

// First, while nothing else runs: the disk's own flush latency, the floor under every durable answer.
if (options.Has("fsync-probe"))
{
    var probe = await FsyncProbe.RunAsync(options.Get("probe-dir", "."), TimeSpan.FromSeconds(double.Parse(options.Get("fsync-probe"), CultureInfo.InvariantCulture)));
    Console.WriteLine(probe);
    report.Add(probe);
}

// What the store holds for the tenant after a phase, to check that every 2xx event is durable.
async Task<long> StoredEventsSinceAsync(long afterSequence) =>
    database is null ? -1 : (long)(await database.CreateCommand(
        $"select count(*) from ingestion.mt_events where seq_id > {afterSequence} and stream_id like '{tenant.Replace("'", "''")}/%'").ExecuteScalarAsync())!;

async Task<long> LastSequenceAsync() =>
    database is null ? 0 : (long)(await database.CreateCommand("select coalesce(max(seq_id), 0) from ingestion.mt_events").ExecuteScalarAsync())!;

async Task<LoadResult> PhaseAsync(Func<Task<LoadResult>> run)
{
    var before = await LastSequenceAsync();
    var cpuBefore = MachineSampler.Take(pid);
    var result = await run();
    var cpu = MachineSampler.Between(cpuBefore, MachineSampler.Take(pid));
    var durable = await StoredEventsSinceAsync(before);
    var line = $"{result}\n    cpu: {cpu}\n    durable check: {(durable < 0 ? "skipped (no --postgres)" : durable == result.EventsStored ? $"OK, {durable:N0} events in the store" : $"MISMATCH, store holds {durable:N0}, answers said {result.EventsStored:N0}")}";
    line += $"\n    slowest: {result.Slowest()}";
    if (result.FirstError is not null) line += $"\n    first error: {result.FirstError}";
    Console.WriteLine(line);
    report.Add(line);
    return result;
}

if (!options.Has("skip-http"))
{
    // Long enough for tiered JIT to settle: the first seconds of a fresh process spend a good part of its CPU compiling.
    Console.WriteLine($"warm-up ({warmup.TotalSeconds:F0} s, 8 connections; not reported)");
    await load.ClosedLoopAsync("warm-up", 8, warmup, maxEventsPerPhase);

    // The fixed rate first: after a flood at full speed PostgreSQL spends a while checkpointing what the flood wrote.
    var requestRate = rate / eventsPerBatch;
    await PhaseAsync(() => load.OpenLoopAsync($"open loop, {rate:N0} events/s ({requestRate:N0} requests/s of {eventsPerBatch})", requestRate, openDuration, maxInFlight: 2_000));

    foreach (var connections in connectionCounts)
        await PhaseAsync(() => load.ClosedLoopAsync($"closed loop, {connections} connections, batches of {eventsPerBatch}", connections, duration, maxEventsPerPhase));
}

if (pid is { } apiPid && MachineSampler.Memory(apiPid) is { } memory)
{
    var line = $"ingestion process {apiPid}: peak resident memory (VmHWM) {memory.PeakMiB:N0} MiB, now {memory.CurrentMiB:N0} MiB";
    Console.WriteLine(line);
    report.Add(line);
}

if (!options.Has("skip-raw") && !string.IsNullOrEmpty(postgres))
{
    using var marten = new MartenAppend(postgres, runId, users);
    // Warm the store (code generation, connections) before timing it.
    await marten.RunAsync(1, eventsPerBatch, oneStreamPerSave: false, 2_000, TimeSpan.FromSeconds(10));
    foreach (var (oneStream, writers) in new[] { (false, 1), (false, 4), (true, 1), (true, 4) })
    {
        var cpuBefore = MachineSampler.Take(null);
        var result = await marten.RunAsync(writers, eventsPerBatch, oneStream, rawEvents, TimeSpan.FromSeconds(30));
        var line = $"{result}\n    cpu: {MachineSampler.Between(cpuBefore, MachineSampler.Take(null))}";
        Console.WriteLine(line);
        report.Add(line);
    }
}

Console.WriteLine();
Console.WriteLine($"summary of run {runId} (load average now {File.ReadAllText("/proc/loadavg").Trim()}):");
foreach (var line in report)
    Console.WriteLine("  " + line);
return 0;

/// <summary>--name value pairs; a flag without a value is "true".</summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public static Arguments? Parse(string[] args)
    {
        var parsed = new Arguments();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) return null;
            var hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            parsed._values[args[i][2..]] = hasValue ? args[++i] : "true";
        }
        return parsed.Has("url") && parsed.Has("write-key") ? parsed : null;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string Get(string name, string? fallback = null) =>
        _values.TryGetValue(name, out var value) ? value : fallback ?? throw new ArgumentException($"--{name} is required");
}
