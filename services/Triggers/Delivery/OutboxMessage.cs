using System.Text.Json;
using Personalization.Triggers.Templates;

namespace Personalization.Triggers.Delivery;

/// <summary>A message a journey step queued, as the outbox holds it until it is sent, skipped or deferred.</summary>
public sealed record OutboxMessage(string SendKey, string TenantId, string JourneyId, int Version, string UserId, string ActorId, int Number,
    string StepId, Channel Channel, string TemplateId, string? Scenario, Uri? Url, string? Group, JsonElement EntryEvent, int Attempts);
