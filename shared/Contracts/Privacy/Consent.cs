namespace Personalization.Contracts.Privacy;

/// <summary>A user's consent for personalization, set through the admin API. Id is <c>{tenant}/{userId}</c>.</summary>
public sealed record Consent(string Id, string TenantId, string UserId, bool Personalization, DateTimeOffset UpdatedAt)
{
    public static string IdFor(string tenantId, string userId) => $"{tenantId}/{userId}";
}
