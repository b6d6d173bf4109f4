namespace Personalization.Ingestion.Validation;

/// <summary>Who sent a request and when it arrived; stamped on every event it carries.</summary>
public sealed record EventOrigin(string TenantId, string SourceId, DateTimeOffset ReceivedAt);
