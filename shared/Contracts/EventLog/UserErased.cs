namespace Personalization.Contracts.EventLog;

/// <summary>
/// The audit record of an erasure, kept in the tenant's <c>erasures</c> stream. It holds no personal data: the user is
/// named only by a SHA-256 of tenant and user id, enough to answer "was this user erased?" when asked.
/// </summary>
public sealed record UserErased(Guid ErasureId, string TenantId, string UserHash, int StreamsErased, long EventsErased, DateTimeOffset ErasedAt);
