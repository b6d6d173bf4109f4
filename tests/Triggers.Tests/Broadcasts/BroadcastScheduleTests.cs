using Personalization.Triggers.Broadcasts;
using Personalization.Triggers.Journeys;

namespace Personalization.Triggers.Tests.Broadcasts;

public class BroadcastScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 24, 9, 0, 0, TimeSpan.FromHours(1));

    [Test]
    public void A_one_off_broadcast_is_due_from_its_time_on()
    {
        var once = new BroadcastEntry("s", Start, null);
        Assert.That(BroadcastSchedule.LatestDue(once, Start.AddSeconds(-1)), Is.Null);
        Assert.That(BroadcastSchedule.LatestDue(once, Start.AddDays(3)), Is.EqualTo(Start));
        Assert.That(BroadcastSchedule.LatestDue(once, Start)!.Value.Offset, Is.EqualTo(TimeSpan.Zero), "in UTC, as it is stored");
    }

    [Test]
    public void A_repeating_broadcast_is_due_at_the_latest_period_passed_and_missed_ones_are_not_made_up()
    {
        var weekly = new BroadcastEntry("s", Start, TimeSpan.FromDays(7));
        Assert.That(BroadcastSchedule.LatestDue(weekly, Start.AddDays(6)), Is.EqualTo(Start));
        Assert.That(BroadcastSchedule.LatestDue(weekly, Start.AddDays(7)), Is.EqualTo(Start.AddDays(7)));
        Assert.That(BroadcastSchedule.LatestDue(weekly, Start.AddDays(30)), Is.EqualTo(Start.AddDays(28)));
    }
}
