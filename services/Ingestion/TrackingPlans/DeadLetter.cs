using Personalization.Contracts.EventLog;

namespace Personalization.Ingestion.TrackingPlans;

/// <summary>
/// An accepted request's event that failed its tracking plan: kept with its reasons instead of being dropped, until
/// an admin replays it against a fixed plan.
/// </summary>
public sealed record DeadLetter(
    Guid Id, string TenantId, string SourceId, int PlanVersion, EventAccepted Event, IReadOnlyList<string> Reasons, DateTimeOffset? ReplayedAt = null);
