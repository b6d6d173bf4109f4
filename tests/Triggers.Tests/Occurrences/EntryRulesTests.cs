using Personalization.Triggers.Journeys;
using Personalization.Triggers.Occurrences;

namespace Personalization.Triggers.Tests.Occurrences;

public class EntryRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    private static PastOccurrence Past(string actor, string entry, double hoursAgo, OccurrenceStatus status = OccurrenceStatus.Completed) =>
        new(actor, 1, entry, Now.AddHours(-hoursAgo), status);

    [Test]
    public void Re_entry_follows_the_policy_and_never_twice_on_one_message_or_while_in()
    {
        var once = new Reentry(ReentryMode.Once, null);
        var weekly = new Reentry(ReentryMode.OncePer, TimeSpan.FromDays(7));
        var always = new Reentry(ReentryMode.EveryTime, null);
        Assert.That(EntryRules.Refusal(once, "a", "e1", [], Now), Is.Null);
        Assert.That(EntryRules.Refusal(once, "a", "e2", [Past("b", "e1", 1000)], Now), Does.Contain("once"), "once across keys");
        Assert.That(EntryRules.Refusal(weekly, "a", "e2", [Past("a", "e1", 24 * 6)], Now), Does.Contain("7d"));
        Assert.That(EntryRules.Refusal(weekly, "a", "e2", [Past("a", "e1", 24 * 8)], Now), Is.Null);
        Assert.That(EntryRules.Refusal(always, "a", "e2", [Past("a", "e1", 0)], Now), Is.Null);
        Assert.That(EntryRules.Refusal(always, "a", "e1", [Past("a", "e1", 0)], Now), Does.Contain("this message"));
        Assert.That(EntryRules.Refusal(always, "a", "e2", [Past("a", "e1", 0, OccurrenceStatus.Waiting)], Now), Does.Contain("already"));
        Assert.That(EntryRules.Refusal(always, "a", "e2", [Past("b", "e1", 0, OccurrenceStatus.Waiting)], Now), Is.Null, "another key's occurrence does not stop this one");
    }

    [Test]
    public void The_holdout_is_sticky_per_person_and_near_its_share()
    {
        var held = Enumerable.Range(0, 20_000).Count(i => EntryRules.HeldOut("t", "j", $"user-{i}", 0.1));
        Assert.That(held / 20_000.0, Is.EqualTo(0.1).Within(0.01));
        Assert.That(Enumerable.Range(0, 100).Select(_ => EntryRules.HeldOut("t", "j", "ada", 0.5)).Distinct().Count(), Is.EqualTo(1));
        Assert.That(Enumerable.Range(0, 1000).Any(i => EntryRules.HeldOut("t", "j", $"user-{i}", 0)), Is.False);
        Assert.That(EntryRules.ActorId("t", "j", "ada", "c1"), Is.Not.EqualTo(EntryRules.ActorId("t", "j", "ada", "c2")));
        Assert.That(EntryRules.ActorId("t", "j", "ada", "c1"), Does.Not.Contain("ada"));
    }
}
