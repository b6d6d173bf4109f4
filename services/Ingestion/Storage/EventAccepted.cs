using System.Text.Json;

namespace Personalization.Ingestion.Storage;

/// <summary>An event the platform accepted, as it sits in the (tenant, user) stream. Never changed after append.</summary>
public sealed record EventAccepted(
    string TenantId,
    string MessageId,
    string Type,
    string? Name,
    string? UserId,
    string? AnonymousId,
    DateTimeOffset Timestamp,
    DateTimeOffset ReceivedAt,
    JsonElement Payload);
