namespace Personalization.Ingestion.Validation;

/// <summary>Who sent a request and when it arrived; stamped on every event it carries.</summary>
/// <param name="TraceParent">The request's W3C trace context, so each event's later work joins its trace.</param>
public sealed record EventOrigin(string TenantId, string SourceId, DateTimeOffset ReceivedAt, string? TraceParent = null);
