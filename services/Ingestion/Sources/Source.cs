namespace Personalization.Ingestion.Sources;

/// <summary>A tenant's app, site or server that sends events. Id is <c>{tenant}/{source}</c>.</summary>
public sealed record Source(string Id, string TenantId, string SourceId, string Name, DateTimeOffset CreatedAt)
{
    public static string IdFor(string tenantId, string sourceId) => $"{tenantId}/{sourceId}";
}
