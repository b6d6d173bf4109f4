using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Personalization.Triggers.Subscriptions;

/// <summary>The secret that signs the links in messages (unsubscribe, opens, clicks), at least 32 characters.</summary>
public sealed class LinkSettings
{
    public const string Section = "Links";
    public const int MinSecretLength = 32;

    public string Secret { get; set; } = "";

    public bool IsValid => Secret.Length >= MinSecretLength;
}

/// <summary>Who an unsubscribe link is for: a person of a tenant, leaving a subscription group.</summary>
public sealed record UnsubscribeLink(string TenantId, string UserId, string Group)
{
    /// <summary>Where the links point, under the service's public URL: <c>/unsubscribe/{token}</c>.</summary>
    public const string Path = "/unsubscribe";
}

/// <summary>
/// Signs and reads the tokens in message links (unsubscribe, opens, clicks): the payload (base64url JSON) and an
/// HMAC-SHA256 of it, so a link cannot be altered to act for someone else, and needs no lookup to be read.
/// </summary>
public sealed class LinkSigner(IOptions<LinkSettings> settings)
{
    public string Sign<T>(T link)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(link, JsonSerializerOptions.Web);
        return $"{WebEncoders.Base64UrlEncode(payload)}.{WebEncoders.Base64UrlEncode(Mac(payload))}";
    }

    /// <param name="complete">Whether the payload read has what a link of its kind needs.</param>
    /// <returns>Null for a token that is malformed, incomplete or not signed with our secret.</returns>
    public T? Read<T>(string token, Func<T, bool> complete) where T : class
    {
        var dot = token.IndexOf('.');
        if (dot <= 0) return null;
        try
        {
            var payload = WebEncoders.Base64UrlDecode(token[..dot]);
            if (!CryptographicOperations.FixedTimeEquals(Mac(payload), WebEncoders.Base64UrlDecode(token[(dot + 1)..]))) return null;
            return JsonSerializer.Deserialize<T>(payload, JsonSerializerOptions.Web) is { } link && complete(link) ? link : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    public UnsubscribeLink? ReadUnsubscribe(string token) =>
        Read<UnsubscribeLink>(token, l => l is { TenantId.Length: > 0, UserId.Length: > 0, Group.Length: > 0 });

    private byte[] Mac(byte[] payload) => HMACSHA256.HashData(Encoding.UTF8.GetBytes(settings.Value.Secret), payload);
}
