using System.Text.Json;

namespace Personalization.Ingestion.Validation;

/// <summary>A message that passed validation, before the tenant is attached.</summary>
public sealed record IncomingEvent(
    string MessageId,
    string Type,
    string? Name,
    string? UserId,
    string? AnonymousId,
    DateTimeOffset Timestamp,
    JsonElement Payload);
