namespace Personalization.Contracts.V1;

/// <summary>
/// A command to services holding per-user state to forget the given streams' state. Sent once a user's events are
/// erased from the log; it is a transient message, never stored, because the stream keys name the user.
/// </summary>
public sealed record ProfileErasureRequested(Guid ErasureId, string TenantId, IReadOnlyList<string> StreamKeys, DateTimeOffset RequestedAt);
