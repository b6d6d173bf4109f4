using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;
using Microsoft.Extensions.Options;
using Personalization.Triggers.Delivery;

namespace Personalization.Triggers.Push;

/// <summary>The application server's VAPID identity (RFC 8292): its P-256 key pair, base64url, and a contact (<c>mailto:</c> or https).</summary>
public sealed class PushSettings
{
    public const string Section = "Push";

    public string? PublicKey { get; set; }
    public string? PrivateKey { get; set; }
    public string Subject { get; set; } = "mailto:noreply@localhost";

    /// <summary>How long a push service keeps a message for a device that is offline.</summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromDays(1);
}

/// <summary>
/// Sends a rendered push message (<c>{"title", "body", "url"}</c>, what a service worker shows) to each of the
/// person's subscriptions over the Web Push protocol, encrypted for the subscription's keys (RFC 8291) and signed
/// with VAPID, through Lib.Net.Http.WebPush. A subscription the push service calls gone (404, 410) is dropped; a
/// person with none left is a refusal no retry changes.
/// </summary>
public sealed class PushSender(PushSubscriptions subscriptions, IHttpClientFactory clients, IOptions<PushSettings> options)
{
    private readonly Lazy<PushServiceClient> _client = new(() => new PushServiceClient(clients.CreateClient(nameof(PushSender))));

    public async Task SendAsync(string tenantId, string userId, IReadOnlyDictionary<string, string> parts, string sendKey, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.PublicKey is not { Length: > 0 } publicKey || settings.PrivateKey is not { Length: > 0 } privateKey)
            throw new InvalidOperationException("push is not configured: set Push:PublicKey and Push:PrivateKey (a VAPID key pair); the message waits until then");
        var targets = await subscriptions.ForAsync(tenantId, userId, cancellationToken);
        if (targets.Count == 0) throw new PermanentFailure("no push subscription: the person has not subscribed to push messages");

        using var vapid = new VapidAuthentication(publicKey, privateKey) { Subject = settings.Subject };
        var content = JsonSerializer.Serialize(new { title = parts.GetValueOrDefault("title"), body = parts.GetValueOrDefault("body"), url = parts.GetValueOrDefault("url") });
        var delivered = 0;
        foreach (var target in targets)
        {
            var subscription = new PushSubscription { Endpoint = target.Endpoint };
            subscription.SetKey(PushEncryptionKeyName.P256DH, target.P256dh);
            subscription.SetKey(PushEncryptionKeyName.Auth, target.Auth);
            // The same topic for the same message: a push service holding an undelivered copy replaces it instead of adding one.
            var message = new PushMessage(content) { Topic = Topic(sendKey), TimeToLive = (int)settings.TimeToLive.TotalSeconds };
            try
            {
                await _client.Value.RequestPushMessageDeliveryAsync(subscription, message, vapid, cancellationToken);
                delivered++;
            }
            catch (PushServiceClientException gone) when (gone.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            {
                await subscriptions.RemoveAsync(tenantId, target.Endpoint, cancellationToken);
            }
        }
        if (delivered == 0) throw new PermanentFailure("push subscriptions gone: the push service answered 404 or 410 for each, and they were dropped");
    }

    /// <summary>At most 32 base64url characters, as RFC 8030 allows a topic.</summary>
    private static string Topic(string sendKey) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(sendKey)))[..32].Replace('+', '-').Replace('/', '_');
}
