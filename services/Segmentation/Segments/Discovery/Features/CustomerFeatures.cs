using Personalization.Contracts.Profiles;
using Personalization.Segmentation.Segments.Rfm;

namespace Personalization.Segmentation.Segments.Discovery.Features;

/// <summary>
/// A customer (a person with at least one order) as the discovery methods see them at an instant: RFM values and
/// engagement (sessions, events, how long they have been known).
/// </summary>
public sealed record CustomerFeatures(string UserKey, RfmValues Rfm, int Sessions, long Events, double TenureDays)
{
    /// <summary>The customer in a profile built from events up to <paramref name="asOf"/>; null for someone who never ordered.</summary>
    public static CustomerFeatures? Of(CustomerProfile profile, DateTimeOffset asOf) =>
        profile.Purchases is { Count: > 0, LastPurchaseAt: { } last }
            ? new CustomerFeatures(profile.UserKey,
                new RfmValues(Math.Max(0, (asOf - last).TotalDays), profile.Purchases.Count, (double)profile.Purchases.MonetaryTotal),
                profile.SessionCount, profile.EventCount, profile.FirstSeen is { } first ? Math.Max(0, (asOf - first).TotalDays) : 0)
            : null;
}
