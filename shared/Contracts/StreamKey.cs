namespace Personalization.Contracts;

/// <summary>
/// Identity of one person's event stream: a tenant plus the user id, or the anonymous id until one is known.
/// Every service builds stream and document ids through this type, never by hand.
/// </summary>
public readonly record struct StreamKey(string TenantId, string UserKey)
{
    public const string UserPrefix = "user:";
    public const string AnonymousPrefix = "anonymous:";

    public static StreamKey For(string tenantId, string? userId, string? anonymousId) =>
        userId is { Length: > 0 }
            ? ForUser(tenantId, userId)
            : new StreamKey(tenantId, AnonymousPrefix + (anonymousId ?? throw new ArgumentException("A user id or an anonymous id is required.")));

    public static StreamKey ForUser(string tenantId, string userId) => new(tenantId, UserPrefix + userId);

    /// <summary>Whether a stream key names a person's or an anonymous visitor's stream, not one of a tenant's own (its erasures).</summary>
    public static bool IsProfileStream(string streamKey)
    {
        var slash = streamKey.IndexOf('/');
        if (slash <= 0) return false;
        var userKey = streamKey.AsSpan(slash + 1);
        return userKey.StartsWith(UserPrefix, StringComparison.Ordinal) || userKey.StartsWith(AnonymousPrefix, StringComparison.Ordinal);
    }

    public override string ToString() => $"{TenantId}/{UserKey}";
}
