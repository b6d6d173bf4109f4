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

    public override string ToString() => $"{TenantId}/{UserKey}";
}
