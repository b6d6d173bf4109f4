using Personalization.Ingestion.Relay;

namespace Personalization.Ingestion.Tests.Relay;

public class RelayLagTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    [Test]
    public void A_checkpoint_that_stands_still_while_events_wait_keeps_the_time_it_stopped()
    {
        var first = RelayLag.Sample.After(null, stored: 100, published: 40, T0);
        var later = RelayLag.Sample.After(first, stored: 180, published: 40, T0.AddSeconds(10));

        Assert.That(later.Lag, Is.EqualTo(140));
        Assert.That(later.StillSince, Is.EqualTo(T0));
    }

    [Test]
    public void A_moving_checkpoint_is_not_standing_still_however_much_waits()
    {
        var first = RelayLag.Sample.After(null, stored: 100, published: 40, T0);
        var later = RelayLag.Sample.After(first, stored: 5_000, published: 41, T0.AddSeconds(10));

        Assert.That(later.StillSince, Is.EqualTo(T0.AddSeconds(10)));
    }

    [Test]
    public void With_nothing_waiting_an_idle_checkpoint_is_not_a_stall()
    {
        var first = RelayLag.Sample.After(null, stored: 40, published: 40, T0);
        var idle = RelayLag.Sample.After(first, stored: 40, published: 40, T0.AddMinutes(10));
        var newEvent = RelayLag.Sample.After(idle, stored: 41, published: 40, T0.AddMinutes(10).AddSeconds(2));

        Assert.That(idle.StillSince, Is.EqualTo(T0.AddMinutes(10)));
        Assert.That(newEvent.StillSince, Is.EqualTo(T0.AddMinutes(10)), "the wait counts from when events were last all published");
        Assert.That(newEvent.Lag, Is.EqualTo(1));
    }
}
