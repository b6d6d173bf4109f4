using System.Security.Cryptography;
using System.Text;

namespace Personalization.Ingestion.Sources;

/// <summary>
/// A source's write key. Only its SHA-256 is stored (the document id), so a database leak gives no usable keys;
/// <see cref="KeyId"/> names it in the admin API and logs.
/// </summary>
public sealed record WriteKey(string Id, string KeyId, string TenantId, string SourceId, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>A new random key and its record.</summary>
    public static (string Secret, WriteKey Record) Create(string tenantId, string sourceId, DateTimeOffset now)
    {
        var secret = "wk_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        var hash = Hash(secret);
        return (secret, new WriteKey(hash, "key_" + hash[..12], tenantId, sourceId, now, null));
    }
}
