using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Personalization.Triggers.Delivery;

/// <summary>The secrets webhooks are signed with: <c>Webhooks:Secrets:{tenant}</c>, else <c>Webhooks:Secret</c>.</summary>
public sealed class WebhookSettings
{
    public const string Section = "Webhooks";

    public string? Secret { get; set; }
    public Dictionary<string, string> Secrets { get; set; } = [];

    public string? For(string tenantId) => Secrets.GetValueOrDefault(tenantId) ?? Secret;
}

/// <summary>
/// Posts a rendered webhook body, signed so the receiver can tell it came from here and is fresh:
/// <c>X-Personalization-Timestamp</c> (Unix seconds) and <c>X-Personalization-Signature: v1=</c> the hex HMAC-SHA256,
/// under the tenant's secret, of the timestamp, a dot and the body; <c>Idempotency-Key</c> is the send key, so a
/// receiver can drop a repeat. A 2xx is delivered; a 4xx other than 408 and 429 is a refusal no retry changes.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, IOptions<WebhookSettings> options, TimeProvider clock)
{
    public const string TimestampHeader = "X-Personalization-Timestamp";
    public const string SignatureHeader = "X-Personalization-Signature";

    public async Task SendAsync(string tenantId, Uri url, string body, string sendKey, CancellationToken cancellationToken)
    {
        var secret = options.Value.For(tenantId) ?? throw new PermanentFailure($"webhook: no signing secret is set for tenant '{tenantId}' (Webhooks:Secrets:{tenantId})");
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body, Encoding.UTF8, IsJson(body) ? "application/json" : "text/plain"),
        };
        request.Headers.Add(TimestampHeader, timestamp);
        request.Headers.Add(SignatureHeader, "v1=" + Sign(secret, timestamp, body));
        request.Headers.Add("Idempotency-Key", sendKey);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Personalization-Triggers", "1"));
        using var response = await clients.CreateClient(nameof(WebhookSender)).SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode) return;
        var status = (int)response.StatusCode;
        if (status is >= 400 and < 500 && response.StatusCode is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests))
            throw new PermanentFailure($"webhook: {url.Host} refused it with {status}");
        throw new HttpRequestException($"webhook: {url.Host} answered {status}", null, response.StatusCode);
    }

    /// <summary>The signature a receiver computes to check a delivery: hex HMAC-SHA256 of "{timestamp}.{body}".</summary>
    public static string Sign(string secret, string timestamp, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));

    private static bool IsJson(string body)
    {
        try
        {
            using var _ = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
