using Personalization.ServiceDefaults;
using Personalization.Triggers.Journeys;
using Personalization.Triggers.Policy;

namespace Personalization.Triggers.Occurrences;

/// <summary>
/// Reads what a turn may need of the person: the profile when the journey branches or waits until a local time
/// (bounded, so a slow Segmentation delays a branch instead of blocking the actor), and the time zone.
/// </summary>
public sealed class OccurrenceFactsReader(ProfileReader profiles, ContactPolicies policies)
{
    public static readonly TimeSpan ProfileTimeout = TimeSpan.FromSeconds(2);

    public async Task<OccurrenceFacts> ForAsync(string tenantId, string userId, JourneyDefinition journey, CancellationToken cancellationToken)
    {
        var policy = await policies.ForAsync(tenantId, cancellationToken);
        if (!journey.Steps.Any(s => s is BranchStep or WaitUntilStep))
            return new OccurrenceFacts(null, ProfileReached: true, policy.DefaultTimeZone);
        var read = await profiles.ReadAsync(tenantId, userId, ProfileTimeout, cancellationToken);
        return new OccurrenceFacts(read.Profile, read.Reached, LocalTimes.ZoneOf(read.Profile) ?? policy.DefaultTimeZone);
    }
}
