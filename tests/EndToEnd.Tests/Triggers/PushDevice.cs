using System.Buffers.Binary;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Personalization.TestSupport;

namespace Personalization.EndToEnd.Tests.Triggers;

/// <summary>A message as the device's push endpoint received it: decrypted, with the application server's VAPID token.</summary>
public sealed record ReceivedPush(string Path, JsonElement Payload, string VapidToken, string VapidKey, string? Topic);

/// <summary>
/// A browser's side of Web Push, for tests: a subscription's keys (P-256 and the auth secret) and a push endpoint
/// over real HTTP that checks the VAPID signature (RFC 8292) and decrypts the payload (RFC 8291, aes128gcm) as a
/// push service and user agent together would. Paths under <c>/gone/</c> answer 410, as for an expired subscription.
/// </summary>
public sealed class PushDevice : IDisposable
{
    private readonly LoopbackServer _server;
    private readonly ECDiffieHellman _keys = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
    private readonly byte[] _auth = RandomNumberGenerator.GetBytes(16);

    public PushDevice()
    {
        _server = new LoopbackServer(AnswerAsync);
    }

    public string Url => _server.Url;
    public ConcurrentQueue<ReceivedPush> Received { get; } = new();
    public ConcurrentQueue<string> Refused { get; } = new();

    public string P256dh => Base64Url.EncodeToString(PublicKey());
    public string Auth => Base64Url.EncodeToString(_auth);

    private byte[] PublicKey()
    {
        var q = _keys.ExportParameters(false).Q;
        return [0x04, .. q.X!, .. q.Y!];
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath;
        if (path.StartsWith("/gone/"))
        {
            Refused.Enqueue(path);
            context.Response.StatusCode = 410;
            return;
        }
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        var (token, key) = Vapid(context.Request.Headers);
        Received.Enqueue(new ReceivedPush(path, JsonDocument.Parse(Decrypt(body.ToArray())).RootElement.Clone(), token, key, context.Request.Headers["Topic"]));
        context.Response.StatusCode = 201;
    }

    /// <summary>The token and key from <c>Authorization: vapid t=..., k=...</c> (or the older <c>WebPush</c> token with <c>Crypto-Key: p256ecdsa=</c>).</summary>
    private static (string Token, string Key) Vapid(System.Collections.Specialized.NameValueCollection headers)
    {
        var authorization = headers["Authorization"] ?? throw new InvalidOperationException("no Authorization header");
        string Part(string text, string name) => text.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Trim()).First(p => p.StartsWith(name + "="))[(name.Length + 1)..];
        return authorization.StartsWith("vapid ", StringComparison.OrdinalIgnoreCase)
            ? (Part(authorization[6..], "t"), Part(authorization[6..], "k"))
            : (authorization[(authorization.IndexOf(' ') + 1)..], Part(headers["Crypto-Key"]!, "p256ecdsa"));
    }

    /// <summary>RFC 8291: the shared secret with the server's key in the header, the keys HKDF derives from it and the auth secret, then AES-128-GCM.</summary>
    private string Decrypt(byte[] body)
    {
        var salt = body[..16];
        var idLength = body[20];
        var serverKey = body[21..(21 + idLength)];
        var cipher = body[(21 + idLength)..];
        Assert.That(BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(16, 4)), Is.GreaterThanOrEqualTo((uint)cipher.Length), "one record");

        using var server = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = { X = serverKey[1..33], Y = serverKey[33..65] } });
        var shared = _keys.DeriveRawSecretAgreement(server.PublicKey);
        var ikm = HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, 32, _auth, [.. "WebPush: info\0"u8, .. PublicKey(), .. serverKey]);
        var cek = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 16, salt, "Content-Encoding: aes128gcm\0"u8.ToArray());
        var nonce = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 12, salt, "Content-Encoding: nonce\0"u8.ToArray());
        var plain = new byte[cipher.Length - 16];
        using (var aes = new AesGcm(cek, 16))
            aes.Decrypt(nonce, cipher[..^16], cipher[^16..], plain);
        // The last record's padding: a 2, then zeros.
        return Encoding.UTF8.GetString(plain, 0, Array.LastIndexOf(plain, (byte)2));
    }

    /// <summary>Whether the VAPID token is an ES256 JWT signed by <paramref name="publicKey"/> for <paramref name="audience"/>, not expired.</summary>
    public static bool IsSigned(string token, string publicKey, string audience)
    {
        var parts = token.Split('.');
        var key = Base64Url.DecodeFromChars(publicKey);
        using var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = { X = key[1..33], Y = key[33..65] } });
        if (!ecdsa.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256)) return false;
        var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement;
        return claims.GetProperty("aud").GetString() == audience && claims.GetProperty("exp").GetInt64() > DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    }

    public void Dispose()
    {
        _server.Dispose();
        _keys.Dispose();
    }
}
