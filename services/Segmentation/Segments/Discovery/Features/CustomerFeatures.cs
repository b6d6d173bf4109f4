using Personalization.Contracts.Profiles;
using Personalization.Segmentation.Segments.Rfm;

namespace Personalization.Segmentation.Segments.Discovery.Features;

/// <summary>
/// A customer (a person with at least one order) as the discovery methods see them at an instant: RFM values,
/// engagement (sessions, events, how long they have been known) and what share of the units they bought fell in each
/// top-level category.
/// </summary>
public sealed record CustomerFeatures(string UserKey, RfmValues Rfm, int Sessions, long Events, double TenureDays,
    IReadOnlyDictionary<string, double> CategoryShares)
{
    public static readonly IReadOnlyDictionary<string, double> NoCategories = new Dictionary<string, double>();

    /// <summary>The customer in a profile built from events up to <paramref name="asOf"/>; null for someone who never ordered.</summary>
    public static CustomerFeatures? Of(CustomerProfile profile, DateTimeOffset asOf, CategoryUnits bought) =>
        profile.Purchases is { Count: > 0, LastPurchaseAt: { } last }
            ? new CustomerFeatures(profile.UserKey,
                new RfmValues(Math.Max(0, (asOf - last).TotalDays), profile.Purchases.Count, (double)profile.Purchases.MonetaryTotal),
                profile.SessionCount, profile.EventCount, profile.FirstSeen is { } first ? Math.Max(0, (asOf - first).TotalDays) : 0,
                bought.Shares())
            : null;
}
