using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Personalization.Ingestion.Backfill;

/// <summary>The API's answer to a batch: what it stored, and what it dead-lettered (the invalid messages with their errors by path).</summary>
public sealed record BatchAccepted(int Stored, int Duplicates, int DeadLettered = 0, int Invalid = 0, System.Text.Json.JsonElement? Errors = null);
public sealed record CatalogImported(int Received, int Created, int Updated, int Unchanged);

/// <summary>The API answered a request with an error that retrying will not fix.</summary>
public sealed class RequestRejectedException(HttpStatusCode status, string body) : Exception($"{(int)status} {status}")
{
    public HttpStatusCode Status { get; } = status;
    public string Body { get; } = body;
}

/// <summary>
/// Sends backfill data the way any publisher would: gzipped Segment batches to <c>/v1/batch</c> with the write key,
/// catalog items to the admin import. 429 and 503 are the API asking for time, so the same request is sent again
/// after Retry-After; so is a request the connection lost, since deduplication makes a resend harmless. Any other
/// error ends the run with <see cref="RequestRejectedException"/>.
/// </summary>
public sealed class IngestionClient(HttpClient http, string writeKey, string? adminToken, TextWriter log)
{
    public const int MaxAttempts = 10;
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public async Task<BatchAccepted> SendBatchAsync(IReadOnlyList<TrackCall> calls, CancellationToken cancellationToken)
    {
        var body = Gzip(new { batch = calls });
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":"));
        return await SendAsync<BatchAccepted>(() =>
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            content.Headers.ContentEncoding.Add("gzip");
            return new HttpRequestMessage(HttpMethod.Post, "v1/batch")
            {
                Content = content,
                Headers = { Authorization = new AuthenticationHeaderValue("Basic", basic) },
            };
        }, cancellationToken);
    }

    public async Task<CatalogImported> ImportCatalogAsync(string tenant, IReadOnlyList<CatalogItemDraft> items, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(items, Json);
        return await SendAsync<CatalogImported>(() =>
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return new HttpRequestMessage(HttpMethod.Post, $"admin/tenants/{tenant}/catalog/import")
            {
                Content = content,
                Headers = { Authorization = new AuthenticationHeaderValue("Bearer", adminToken) },
            };
        }, cancellationToken);
    }

    private async Task<T> SendAsync<T>(Func<HttpRequestMessage> newRequest, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            TimeSpan wait;
            string reason;
            try
            {
                using var request = newRequest();
                using var response = await http.SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode)
                    return await AnswerAsync<T>(response, cancellationToken);
                if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable))
                    throw new RequestRejectedException(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
                wait = RetryAfter(response) ?? Backoff(attempt);
                reason = $"{(int)response.StatusCode} {response.ReasonPhrase}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                wait = Backoff(attempt);
                reason = ex.Message;
            }

            if (attempt == MaxAttempts)
                throw new BackfillException($"gave up after {MaxAttempts} attempts; last: {reason}. Run the same command again to resume.");
            await log.WriteLineAsync($"  {reason}; sending the same request again in {wait.TotalSeconds:0.#} s (attempt {attempt + 1} of {MaxAttempts})");
            await Task.Delay(wait, cancellationToken);
        }
    }

    private static async Task<T> AnswerAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken) ?? throw new JsonException("null");
        }
        catch (JsonException)
        {
            throw new BackfillException(
                $"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode} with something other than the ingestion API's answer; check --url.");
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return wait is null ? null : TimeSpan.FromTicks(Math.Clamp(wait.Value.Ticks, 0, MaxWait.Ticks));
    }

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromSeconds(Math.Min(Math.Pow(2, attempt - 1), MaxWait.TotalSeconds));

    private static byte[] Gzip<TBody>(TBody body)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            JsonSerializer.Serialize(gzip, body, Json);
        return buffer.ToArray();
    }
}
