using System.Diagnostics;
using System.Net.Http.Headers;

namespace Personalization.RecommendationLoad;

/// <summary>One open-loop phase: what it asked for, what it got, and its latencies counted from each request's scheduled time.</summary>
public sealed record PhaseResult(string Name, double Rate, int Sent, int Ok, int Errors, int Late, string? FirstError, double[] SortedMs)
{
    public double Percentile(double p) => SortedMs.Length == 0 ? double.NaN : SortedMs[Math.Min(SortedMs.Length - 1, (int)Math.Ceiling(p / 100 * SortedMs.Length) - 1)];

    public override string ToString() =>
        $"{Name} at {Rate:N0}/s: {Ok:N0} ok, {Errors} errors, {Late} not sent on time; p50 {Percentile(50):F1} ms, p99 {Percentile(99):F1} ms, " +
        $"max {Percentile(100):F1} ms{(FirstError is null ? "" : $" (first error: {FirstError})")}";
}

/// <summary>
/// Requests leave on a fixed schedule whatever the answers (open loop), so a slow answer cannot hide the queueing it
/// causes; at most <paramref name="maxInFlight"/> wait at once, beyond that a request counts as late.
/// </summary>
public sealed class OpenLoop(Uri baseAddress, string token, int maxInFlight = 512) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = maxInFlight, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
    {
        BaseAddress = baseAddress,
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
        Timeout = TimeSpan.FromSeconds(10),
    };

    public async Task<PhaseResult> RunAsync(string name, double rate, TimeSpan duration, Func<int, string> path)
    {
        var total = (int)(rate * duration.TotalSeconds);
        var latencies = new double[total];
        int ok = 0, errors = 0, late = 0, inFlight = 0;
        string? firstError = null;
        var tasks = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait);
            if (Volatile.Read(ref inFlight) >= maxInFlight)
            {
                Interlocked.Increment(ref late);
                latencies[i] = double.NaN;
                continue;
            }
            Interlocked.Increment(ref inFlight);
            var n = i;
            var uri = path(n); // here, on one thread: the paths may draw from a Random
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    using var response = await _http.GetAsync(uri);
                    var body = await response.Content.ReadAsStringAsync();
                    if (response.IsSuccessStatusCode) Interlocked.Increment(ref ok);
                    else
                    {
                        Interlocked.Increment(ref errors);
                        firstError ??= $"{(int)response.StatusCode} {body[..Math.Min(200, body.Length)]}";
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref errors);
                    firstError ??= ex.Message;
                }
                finally
                {
                    latencies[n] = (clock.Elapsed - due).TotalMilliseconds;
                    Interlocked.Decrement(ref inFlight);
                }
            }));
        }
        await Task.WhenAll(tasks);
        var sorted = latencies.Where(l => !double.IsNaN(l)).Order().ToArray();
        return new PhaseResult(name, rate, total, ok, errors, late, firstError, sorted);
    }

    public void Dispose() => _http.Dispose();
}
