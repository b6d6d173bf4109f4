using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Personalization.SdkCompatibility.Tests;

/// <summary>What the SDK is told about its first request, which has reached Ingestion (and been stored) either way.</summary>
public enum FirstAnswer
{
    /// <summary>Ingestion's own answer.</summary>
    FromIngestion,

    /// <summary>503 with Retry-After: 1, as from an overloaded node behind a load balancer.</summary>
    ServiceUnavailable,

    /// <summary>429 with Retry-After: 1, as from a rate limiter.</summary>
    TooManyRequests,

    /// <summary>No answer until the SDK gives up waiting (or 20 s pass), then the connection is dropped.</summary>
    NoAnswer,
}

/// <summary>
/// A passthrough HTTP proxy on loopback between an SDK and Ingestion. It forwards each request's bytes and headers
/// unchanged, records what the SDK really sent and what Ingestion answered, and can tell the SDK that its first
/// request failed after Ingestion has stored it, so the SDK's own retry re-sends an already stored batch.
/// </summary>
public sealed class SdkTrafficRecorder : IAsyncDisposable
{
    private static readonly TimeSpan LongestSilence = TimeSpan.FromSeconds(20);

    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Content-Length", "Expect", "Upgrade", "TE", "Proxy-Connection",
    };

    private readonly HttpClient _ingestion;
    private readonly FirstAnswer _firstAnswer;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private WebApplication _app = null!;
    private int _count;

    private SdkTrafficRecorder(Uri ingestion, FirstAnswer firstAnswer)
    {
        _firstAnswer = firstAnswer;
        // Passes redirects and compressed answers through as they are, so the SDK sees what Ingestion said.
        _ingestion = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None, UseCookies = false })
        {
            BaseAddress = ingestion,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests.OrderBy(r => r.Number)];

    public static async Task<SdkTrafficRecorder> StartAsync(Uri ingestion, FirstAnswer firstAnswer = FirstAnswer.FromIngestion)
    {
        var recorder = new SdkTrafficRecorder(ingestion, firstAnswer);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        recorder._app = builder.Build();
        recorder._app.Run(recorder.ForwardAsync);
        await recorder._app.StartAsync();
        var address = recorder._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        recorder.BaseAddress = new Uri(address);
        return recorder;
    }

    private async Task ForwardAsync(HttpContext http)
    {
        var number = Interlocked.Increment(ref _count);
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer);
        var wire = buffer.ToArray();

        using var forward = new HttpRequestMessage(new HttpMethod(http.Request.Method), http.Request.Path + http.Request.QueryString)
        {
            Content = new ByteArrayContent(wire),
        };
        foreach (var (name, values) in http.Request.Headers)
            if (!HopByHop.Contains(name) && !forward.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
                forward.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);

        // Not cancelled with the SDK's request: the point is that Ingestion stores the batch whatever the SDK hears.
        using var answer = await _ingestion.SendAsync(forward);
        var answerBody = await answer.Content.ReadAsByteArrayAsync();

        var told = number == 1 ? _firstAnswer : FirstAnswer.FromIngestion;
        int? statusToSdk = told switch
        {
            FirstAnswer.FromIngestion => (int)answer.StatusCode,
            FirstAnswer.ServiceUnavailable => StatusCodes.Status503ServiceUnavailable,
            FirstAnswer.TooManyRequests => StatusCodes.Status429TooManyRequests,
            _ => null,
        };
        _requests.Enqueue(Record(number, http.Request, wire, (int)answer.StatusCode, answerBody, statusToSdk));

        switch (told)
        {
            case FirstAnswer.FromIngestion:
                http.Response.StatusCode = (int)answer.StatusCode;
                foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
                    if (!HopByHop.Contains(name))
                        http.Response.Headers[name] = values.ToArray();
                await http.Response.Body.WriteAsync(answerBody);
                break;
            case FirstAnswer.ServiceUnavailable or FirstAnswer.TooManyRequests:
                http.Response.StatusCode = statusToSdk!.Value;
                http.Response.Headers.RetryAfter = "1";
                await http.Response.WriteAsJsonAsync(new { title = "Injected by the test's proxy after Ingestion stored the batch." });
                break;
            case FirstAnswer.NoAnswer:
                try
                {
                    await Task.Delay(LongestSilence, http.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    // The SDK gave up waiting.
                }
                http.Abort();
                break;
        }
    }

    private static RecordedRequest Record(int number, HttpRequest request, byte[] wire, int ingestionStatus, byte[] answerBody, int? statusToSdk)
    {
        var encoding = request.Headers.ContentEncoding.ToString();
        var gzipped = wire is [0x1f, 0x8b, ..];
        var decoded = gzipped ? Gunzip(wire) : wire;
        var body = TryParse(decoded);
        IReadOnlyList<JsonElement> batch = body is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("batch", out var messages) && messages.ValueKind == JsonValueKind.Array
            ? [.. messages.EnumerateArray()]
            : [];
        return new RecordedRequest(
            number,
            request.Path,
            request.Headers.ContentType.ToString(),
            encoding.Length == 0 ? null : encoding,
            request.Headers.Authorization.ToString(),
            request.Headers.TryGetValue("X-Retry-Count", out var retry) ? retry.ToString() : null,
            wire.Length,
            gzipped,
            decoded.Length,
            body,
            batch,
            [.. batch.Select(m => m.TryGetProperty("messageId", out var id) ? id.ToString() : "")],
            ingestionStatus,
            TryParse(answerBody),
            statusToSdk);
    }

    private static byte[] Gunzip(byte[] wire)
    {
        using var gzip = new GZipStream(new MemoryStream(wire), CompressionMode.Decompress);
        using var inflated = new MemoryStream();
        gzip.CopyTo(inflated);
        return inflated.ToArray();
    }

    private static JsonElement? TryParse(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _ingestion.Dispose();
    }
}

/// <summary>One request as the SDK sent it and as Ingestion answered it.</summary>
/// <param name="Gzipped">The body on the wire starts with the gzip magic bytes.</param>
/// <param name="Body">The (gunzipped) body as JSON; null when it is not JSON.</param>
/// <param name="StatusToSdk">What the SDK was told; null when it got no answer.</param>
public sealed record RecordedRequest(
    int Number,
    string Path,
    string ContentType,
    string? ContentEncoding,
    string Authorization,
    string? RetryCount,
    int WireBytes,
    bool Gzipped,
    int DecodedBytes,
    JsonElement? Body,
    IReadOnlyList<JsonElement> Batch,
    IReadOnlyList<string> MessageIds,
    int IngestionStatus,
    JsonElement? IngestionAnswer,
    int? StatusToSdk)
{
    public int? Stored => IngestionAnswer?.TryGetProperty("stored", out var stored) == true ? stored.GetInt32() : null;
    public int? Duplicates => IngestionAnswer?.TryGetProperty("duplicates", out var duplicates) == true ? duplicates.GetInt32() : null;

    /// <summary>The messages Ingestion named invalid in its answer (<c>errors</c> by <c>batch[i]</c>).</summary>
    public IReadOnlyList<string> InvalidMessageIds =>
        IngestionAnswer?.TryGetProperty("errors", out var errors) == true && errors.ValueKind == JsonValueKind.Object
            ? [.. errors.EnumerateObject().Select(e => MessageIds[int.Parse(e.Name["batch[".Length..^1])])]
            : [];
}
