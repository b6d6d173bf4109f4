namespace Personalization.Ingestion.TrackingPlans;

/// <summary>
/// A source's tracking plan: one JSON Schema per event name (track events) or call type (identify, page, ...),
/// for the event's properties (or traits). Each change makes a new version; old versions stay as history.
/// Id is <c>{tenant}/{source}</c> for the current plan, <c>{tenant}/{source}/v{n}</c> for history.
/// </summary>
public sealed record TrackingPlan(string Id, string TenantId, string SourceId, int Version, Dictionary<string, string> Schemas, DateTimeOffset CreatedAt)
{
    public static string CurrentId(string tenantId, string sourceId) => $"{tenantId}/{sourceId}";

    public TrackingPlan AsHistory() => this with { Id = $"{TenantId}/{SourceId}/v{Version}" };
}
