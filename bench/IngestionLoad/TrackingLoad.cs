using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Personalization.IngestionLoad;

/// <summary>What one load phase achieved: answers by kind, events the service said it stored, request latencies.</summary>
public sealed class LoadResult(string name)
{
    private readonly Lock _gate = new();
    private readonly List<double> _latenciesMs = [];
    private readonly List<(DateTime Start, double Ms)> _slowest = [];

    public string Name { get; } = name;
    public long Accepted;          // 2xx answers
    public long EventsStored;      // "stored" summed over 2xx answers
    public long EventsDuplicate;   // "duplicates" summed over 2xx answers
    public long Rejected503;
    public long Rejected429;
    public long OtherErrors;
    public long Late;              // open loop only: requests that could not even be sent on time (driver saturated)
    public TimeSpan Elapsed;
    public string? FirstError;

    public double EventsPerSecond => EventsStored / Elapsed.TotalSeconds;

    public void Record(double latencyMs)
    {
        lock (_gate)
        {
            _latenciesMs.Add(latencyMs);
            // The five slowest with their wall-clock start, to line them up with PostgreSQL's checkpoint log.
            if (_slowest.Count < 5 || latencyMs > _slowest[^1].Ms)
            {
                _slowest.Add((DateTime.UtcNow.AddMilliseconds(-latencyMs), latencyMs));
                _slowest.Sort((a, b) => b.Ms.CompareTo(a.Ms));
                if (_slowest.Count > 5) _slowest.RemoveAt(5);
            }
        }
    }

    public string Slowest()
    {
        lock (_gate) return string.Join(", ", _slowest.Select(s => $"{s.Ms:F0} ms at {s.Start:HH:mm:ss.f}"));
    }

    public double Percentile(double p)
    {
        lock (_gate)
        {
            if (_latenciesMs.Count == 0) return double.NaN;
            _latenciesMs.Sort();
            return _latenciesMs[Math.Min(_latenciesMs.Count - 1, (int)Math.Ceiling(p / 100 * _latenciesMs.Count) - 1)];
        }
    }

    public override string ToString() =>
        $"{Name}: {EventsPerSecond:N0} events/s stored ({EventsStored:N0} events in {Accepted:N0} requests over {Elapsed.TotalSeconds:F1}s), " +
        $"duplicates {EventsDuplicate}, 503 {Rejected503}, 429 {Rejected429}, other errors {OtherErrors}, late {Late}; " +
        $"latency p50 {Percentile(50):F1} ms, p99 {Percentile(99):F1} ms, max {Percentile(100):F1} ms";
}

/// <summary>Drives <c>POST /v1/batch</c> of a running Ingestion API over loopback.</summary>
public sealed class TrackingLoad : IDisposable
{
    private readonly HttpClient _http;
    private readonly BatchBodies _bodies;

    public TrackingLoad(Uri baseAddress, string writeKey, BatchBodies bodies, int maxConnections)
    {
        _bodies = bodies;
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
    }

    /// <summary>Closed loop: each of <paramref name="connections"/> callers sends its next batch as soon as the last is answered.</summary>
    public async Task<LoadResult> ClosedLoopAsync(string name, int connections, TimeSpan duration, long maxEvents)
    {
        var result = new LoadResult(name);
        var clock = Stopwatch.StartNew();
        var sent = 0L;
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async worker =>
        {
            var random = new Random(worker);
            var buffer = new ArrayBufferWriter<byte>(64 * 1024);
            while (clock.Elapsed < duration && Interlocked.Add(ref sent, _bodies.EventsPerBatch) <= maxEvents)
            {
                _bodies.Write(buffer, random);
                var started = Stopwatch.GetTimestamp();
                await SendAsync(buffer.WrittenMemory, result);
                result.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }));
        result.Elapsed = clock.Elapsed;
        return result;
    }

    /// <summary>
    /// Open loop: requests leave on a fixed schedule whatever the answers, and latency counts from the scheduled time,
    /// so a slow answer cannot hide the queueing it causes (no coordinated omission).
    /// </summary>
    public async Task<LoadResult> OpenLoopAsync(string name, double requestsPerSecond, TimeSpan duration, int maxInFlight)
    {
        var result = new LoadResult(name);
        var total = (int)(requestsPerSecond * duration.TotalSeconds);
        var random = new Random(7);
        var inFlight = 0;
        var tasks = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / requestsPerSecond);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
                await Task.Delay(wait);
            if (Volatile.Read(ref inFlight) >= maxInFlight)
            {
                Interlocked.Increment(ref result.Late);
                continue;
            }

            var buffer = new ArrayBufferWriter<byte>(64 * 1024);
            _bodies.Write(buffer, random);
            Interlocked.Increment(ref inFlight);
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    await SendAsync(buffer.WrittenMemory, result);
                    result.Record((clock.Elapsed - due).TotalMilliseconds);
                }
                finally
                {
                    Interlocked.Decrement(ref inFlight);
                }
            }));
        }
        await Task.WhenAll(tasks);
        result.Elapsed = clock.Elapsed;
        return result;
    }

    private async Task SendAsync(ReadOnlyMemory<byte> body, LoadResult result)
    {
        try
        {
            using var content = new ReadOnlyMemoryContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await _http.PostAsync("/v1/batch", content);
            var answer = await response.Content.ReadAsByteArrayAsync();
            switch ((int)response.StatusCode)
            {
                case >= 200 and < 300:
                    using (var json = JsonDocument.Parse(answer))
                    {
                        Interlocked.Increment(ref result.Accepted);
                        Interlocked.Add(ref result.EventsStored, json.RootElement.GetProperty("stored").GetInt32());
                        Interlocked.Add(ref result.EventsDuplicate, json.RootElement.GetProperty("duplicates").GetInt32());
                    }
                    break;
                case 503:
                    Interlocked.Increment(ref result.Rejected503);
                    break;
                case 429:
                    Interlocked.Increment(ref result.Rejected429);
                    break;
                default:
                    Interlocked.Increment(ref result.OtherErrors);
                    result.FirstError ??= $"{(int)response.StatusCode}: {Encoding.UTF8.GetString(answer)}";
                    break;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            Interlocked.Increment(ref result.OtherErrors);
            result.FirstError ??= ex.Message;
        }
    }

    public void Dispose() => _http.Dispose();
}
