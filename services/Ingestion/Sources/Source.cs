namespace Personalization.Ingestion.Sources;

/// <summary>
/// A tenant's app, site or server that sends events. Id is <c>{tenant}/{source}</c>. With <see cref="StrictBatches"/>
/// one invalid message refuses its whole batch (400); by default, as Segment does, the batch's valid messages are
/// stored and the invalid ones dead-lettered.
/// </summary>
public sealed record Source(string Id, string TenantId, string SourceId, string Name, DateTimeOffset CreatedAt, bool StrictBatches = false)
{
    public static string IdFor(string tenantId, string sourceId) => $"{tenantId}/{sourceId}";
}
