using Microsoft.Extensions.Options;
using Personalization.Recommendation.Candidates;
using Personalization.Recommendation.Serving;

namespace Personalization.Recommendation.Tests.Serving;

public class CandidateCacheTests
{
    private static CandidateCache Create(TimeSpan lifetime) =>
        new(Options.Create(new ServingSettings { CandidateLifetime = lifetime }));

    private static Subject Shopper(params (int Item, float Weight)[] items) =>
        new(Person.FromItems(items, "DE", row: 3), [], [], []);

    private int _proposals;

    [SetUp]
    public void Reset() => _proposals = 0;

    private IReadOnlyList<Candidate> Propose()
    {
        _proposals++;
        return [new Candidate(_proposals, 1, ["als"])];
    }

    [Test]
    public void The_same_subject_asking_again_gets_the_kept_candidates()
    {
        using var cache = Create(TimeSpan.FromMinutes(5));
        var first = cache.GetOrAdd("t", 1, Shopper((1, 1), (2, 1)), 100, Propose);
        var again = cache.GetOrAdd("t", 1, Shopper((1, 1), (2, 1)), 100, Propose);
        Assert.That((_proposals, again), Is.EqualTo((1, first)));
    }

    [Test]
    public void A_new_item_another_weight_context_version_pool_or_tenant_is_proposed_afresh()
    {
        using var cache = Create(TimeSpan.FromMinutes(5));
        cache.GetOrAdd("t", 1, Shopper((1, 1)), 100, Propose);
        cache.GetOrAdd("t", 1, Shopper((1, 1), (2, 1)), 100, Propose);
        cache.GetOrAdd("t", 1, Shopper((1, 2)), 100, Propose);
        cache.GetOrAdd("t", 1, Shopper((1, 1)) with { Person = Person.FromItems([(1, 1)], "FR", row: 3) }, 100, Propose);
        cache.GetOrAdd("t", 2, Shopper((1, 1)), 100, Propose);
        cache.GetOrAdd("t", 1, Shopper((1, 1)), 400, Propose);
        cache.GetOrAdd("u", 1, Shopper((1, 1)), 100, Propose);
        cache.GetOrAdd("t", 1, Shopper((1, 1)) with { Interests = [new InterestMatch(9, "garden")] }, 100, Propose);
        Assert.That(_proposals, Is.EqualTo(8));
    }

    [Test]
    public void A_zero_lifetime_turns_the_cache_off()
    {
        using var cache = Create(TimeSpan.Zero);
        cache.GetOrAdd("t", 1, Shopper((1, 1)), 100, Propose);
        cache.GetOrAdd("t", 1, Shopper((1, 1)), 100, Propose);
        Assert.That(_proposals, Is.EqualTo(2));
    }
}
