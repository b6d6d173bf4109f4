using Personalization.Contracts;
using Personalization.Contracts.Profiles;
using Personalization.Contracts.V1;
using Personalization.Segmentation.Profiles;

namespace Personalization.Segmentation.Segments.Evaluation;

/// <summary>
/// Applies one event to a person's profile and rule segments together, in the one order live evaluation, a merge
/// and a rebuild all use: deadlines that fell before the event are passed on the profile as it stood, then the event
/// shapes the profile, then the segments see it.
/// </summary>
public static class SegmentedProfile
{
    public static void Apply(CustomerProfile profile, SegmentState state, SegmentSet set, EventRecorded e, List<SegmentTransition> transitions)
    {
        // Bots, bursts and events without consent are counted by the profile and shape nothing else.
        if (e.Flags != EventFlags.None)
        {
            CustomerProfileProjection.Apply(profile, e);
            return;
        }
        var observed = SegmentEvent.From(e);
        SegmentEvaluator.Advance(state, set, profile, observed.Instant, inclusive: false, transitions);
        CustomerProfileProjection.Apply(profile, e);
        SegmentEvaluator.Observe(state, set, profile, observed, transitions);
    }
}
