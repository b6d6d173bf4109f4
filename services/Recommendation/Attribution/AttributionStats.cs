namespace Personalization.Recommendation.Attribution;

/// <summary>A tenant's attributed figures per day from <paramref name="From"/> to <paramref name="To"/> (UTC), under its attribution window.</summary>
public sealed record AttributionStats(string TenantId, DateOnly From, DateOnly To, TimeSpan AttributionWindow, IReadOnlyList<DailyStats> Days);
