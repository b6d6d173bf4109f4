using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Personalization.EndToEnd.Outages;

/// <summary>
/// A publisher that keeps sending small batches over a set of users, as an SDK would: a batch that is not answered 200
/// (503 while the store is down, a dropped connection) is sent again unchanged, message ids included, until it is.
/// Only answered batches count as accepted.
/// </summary>
public sealed class SteadyLoad : IAsyncDisposable
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan GiveUpAfterStop = TimeSpan.FromSeconds(90);

    private readonly HttpClient _ingestion;
    private readonly string _writeKey;
    private readonly string[] _users;
    private readonly ConcurrentDictionary<string, int> _accepted = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abandon = new();
    private Task _run = Task.CompletedTask;
    private long _total;

    private SteadyLoad(HttpClient ingestion, string writeKey, string[] users) => (_ingestion, _writeKey, _users) = (ingestion, writeKey, users);

    public IReadOnlyList<string> Users => _users;
    public long Total => Interlocked.Read(ref _total);

    public int AcceptedFor(string user) => _accepted.GetValueOrDefault(user);

    public static SteadyLoad Start(HttpClient ingestion, string writeKey, string name, int users)
    {
        var load = new SteadyLoad(ingestion, writeKey, Enumerable.Range(0, users).Select(i => $"{name}-{i}").ToArray());
        load._run = load.RunAsync();
        return load;
    }

    /// <summary>Waits until <paramref name="more"/> further events have been accepted.</summary>
    public Task WaitForMoreAsync(long more)
    {
        var target = Total + more;
        return TestSupport.Eventually.ReturnsAsync(() => Task.FromResult(Total), total => total >= target, TimeSpan.FromSeconds(120), $"{more} more accepted events");
    }

    /// <summary>Stops sending; a batch still unanswered is sent until it is accepted.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _run;
    }

    private async Task RunAsync()
    {
        var sequence = 0;
        while (!_stop.IsCancellationRequested)
        {
            var batch = Enumerable.Range(0, 10).Select(_ => (User: _users[sequence % _users.Length], Id: $"{sequence++}")).ToList();
            await SendUntilAcceptedAsync(batch);
            foreach (var (user, _) in batch) _accepted.AddOrUpdate(user, 1, (_, n) => n + 1);
            Interlocked.Add(ref _total, batch.Count);
            try { await Task.Delay(Pause, _stop.Token); } catch (OperationCanceledException) { }
        }
    }

    private async Task SendUntilAcceptedAsync(List<(string User, string Id)> batch)
    {
        var body = JsonSerializer.Serialize(new
        {
            batch = batch.Select(e => new
            {
                type = "track", @event = "Product Viewed", userId = e.User, messageId = $"{e.User}-{e.Id}",
                properties = new { product_id = "sku-" + e.Id },
            }),
        });
        DateTime? stoppedAt = null;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/batch") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(_writeKey + ":")));
            try
            {
                using var response = await _ingestion.SendAsync(request, _abandon.Token);
                if (response.StatusCode == HttpStatusCode.OK) return;
                if ((int)response.StatusCode < 500)
                    throw new InvalidOperationException($"The batch was refused ({(int)response.StatusCode}): {await response.Content.ReadAsStringAsync()}");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not answered: it may or may not be stored, and the resend deduplicates either way.
            }
            stoppedAt ??= _stop.IsCancellationRequested ? DateTime.UtcNow : null;
            if (DateTime.UtcNow - stoppedAt > GiveUpAfterStop)
                throw new TimeoutException("Ingestion did not accept a batch within 90 s of the load stopping.");
            await Task.Delay(200, _abandon.Token);
        }
    }

    /// <summary>
    /// Abandons the load without waiting for its last batch: a test that got here without <see cref="StopAsync"/> has
    /// failed already, and its own failure is the one to report.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _abandon.CancelAsync();
        await _stop.CancelAsync();
        try
        {
            await _run;
        }
        catch (Exception)
        {
            // Abandoned (or already reported by StopAsync).
        }
        _stop.Dispose();
        _abandon.Dispose();
    }
}
