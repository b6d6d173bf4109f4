using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Personalization.Recommendation.Serving;

namespace Personalization.Recommendation.Tests.Serving;

public class ImpressionsTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    private Impressions Create(TimeSpan window) =>
        new(Options.Create(new ServingSettings { ImpressionWindow = window, ImpressionDamping = 0.5 }), _clock);

    [Test]
    public void Each_recent_showing_damps_the_item_for_that_person_only()
    {
        using var impressions = Create(TimeSpan.FromMinutes(30));
        impressions.Record("t", "ann", ["a", "b"]);
        impressions.Record("t", "ann", ["a"]);
        var damping = impressions.DampingFor("t", "ann");
        Assert.That((damping["a"], damping["b"]), Is.EqualTo((0.25, 0.5)));
        Assert.That(impressions.DampingFor("t", "bob"), Is.Empty);
        Assert.That(impressions.DampingFor("other", "ann"), Is.Empty);
    }

    [Test]
    public void A_showing_older_than_the_window_no_longer_counts()
    {
        using var impressions = Create(TimeSpan.FromMinutes(30));
        impressions.Record("t", "ann", ["a"]);
        _clock.Advance(TimeSpan.FromMinutes(31));
        Assert.That(impressions.DampingFor("t", "ann").ContainsKey("a"), Is.False);
        impressions.Record("t", "ann", ["a"]);
        Assert.That(impressions.DampingFor("t", "ann")["a"], Is.EqualTo(0.5), "the count starts again");
    }

    [Test]
    public void A_zero_window_turns_rotation_off()
    {
        using var impressions = Create(TimeSpan.Zero);
        impressions.Record("t", "ann", ["a"]);
        Assert.That(impressions.DampingFor("t", "ann"), Is.Empty);
    }
}
