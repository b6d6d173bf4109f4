using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Personalization.Chaos;

/// <summary>
/// A steady load sent as the Segment SDKs send it: batches of track events with fixed message ids, every 50 ms; a batch
/// not answered 200 (a 5xx, 429, a dropped connection, no answer in 10 s) is sent again unchanged until it is. Only
/// answered batches count as accepted. Batches are sent concurrently, so a slow or retried one does not hold up the rest.
/// </summary>
public sealed class SdkLikeLoad(HttpClient ingestion, string run, int rate, int users)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<string, int> _accepted = new();
    private readonly ConcurrentBag<Task> _batches = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _acceptedEvents, _retriedBatches, _retriedEvents, _failedTries;

    public long AcceptedEvents => Interlocked.Read(ref _acceptedEvents);
    public long RetriedBatches => Interlocked.Read(ref _retriedBatches);
    public long RetriedEvents => Interlocked.Read(ref _retriedEvents);
    public long FailedTries => Interlocked.Read(ref _failedTries);
    public IReadOnlyDictionary<string, int> AcceptedByUser => _accepted;

    public string User(int i) => $"chaos-{run}-{i % users}";

    /// <summary>Sends until <paramref name="stop"/>, then waits for every batch still unanswered to be accepted.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var perTick = rate * Tick.TotalSeconds;
        var due = 0.0;
        var sequence = 0;
        using var timer = new PeriodicTimer(Tick);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                due += perTick;
                var size = (int)due;
                if (size == 0) continue;
                due -= size;
                var events = Enumerable.Range(sequence, size).Select(i => (User: User(i), MessageId: $"chaos-{run}-{i}")).ToList();
                sequence += size;
                _batches.Add(SendUntilAcceptedAsync(events));
            }
        }
        catch (OperationCanceledException)
        {
            // Stop sending new batches.
        }
        await Task.WhenAll(_batches);
    }

    private async Task SendUntilAcceptedAsync(List<(string User, string MessageId)> events)
    {
        var body = JsonSerializer.Serialize(new
        {
            batch = events.Select(e => new { type = "track", @event = "Product Viewed", userId = e.User, messageId = e.MessageId, properties = new { product_id = "sku-1" } }),
        });
        var giveUpAt = DateTime.UtcNow.AddMinutes(10);
        for (var attempt = 0; ; attempt++)
        {
            if (attempt == 1)
            {
                Interlocked.Increment(ref _retriedBatches);
                Interlocked.Add(ref _retriedEvents, events.Count);
            }
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                using var response = await ingestion.PostAsync("/v1/batch", new StringContent(body, Encoding.UTF8, "application/json"), timeout.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    foreach (var (user, _) in events) _accepted.AddOrUpdate(user, 1, (_, n) => n + 1);
                    Interlocked.Add(ref _acceptedEvents, events.Count);
                    return;
                }
                if ((int)response.StatusCode < 500 && response.StatusCode != HttpStatusCode.TooManyRequests)
                    throw new InvalidOperationException($"a well-formed batch was refused ({(int)response.StatusCode}): {await response.Content.ReadAsStringAsync()}");
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                // Not answered: it may or may not be stored; the resend is deduplicated by message id either way.
            }
            Interlocked.Increment(ref _failedTries);
            if (DateTime.UtcNow > giveUpAt) throw new TimeoutException("a batch was not accepted within 10 minutes");
            await Task.Delay(RetryPause);
        }
    }

    /// <summary>Events accepted per second since the last call.</summary>
    public Func<double> RateMeter()
    {
        var (lastEvents, lastAt) = (AcceptedEvents, _clock.Elapsed);
        return () =>
        {
            var (events, at) = (AcceptedEvents, _clock.Elapsed);
            var rate = (events - lastEvents) / Math.Max(0.001, (at - lastAt).TotalSeconds);
            (lastEvents, lastAt) = (events, at);
            return rate;
        };
    }
}
