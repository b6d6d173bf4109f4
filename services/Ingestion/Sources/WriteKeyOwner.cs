namespace Personalization.Ingestion.Sources;

/// <summary>Whom a valid write key belongs to.</summary>
public sealed record WriteKeyOwner(string TenantId, string SourceId, string KeyId);
