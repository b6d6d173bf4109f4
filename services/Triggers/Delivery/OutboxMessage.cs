using System.Text.Json;
using Personalization.Triggers.Templates;

namespace Personalization.Triggers.Delivery;

/// <summary>A message a journey step queued, as the outbox holds it until it is sent, skipped or deferred.</summary>
/// <param name="TraceParent">The trace context of the turn that queued it, which its delivery continues.</param>
public sealed record OutboxMessage(string SendKey, string TenantId, string JourneyId, int Version, string UserId, string ActorId, int Number,
    string StepId, Channel Channel, string TemplateId, string? Scenario, Uri? Url, string? Group, JsonElement EntryEvent, int Attempts, string? TraceParent);
