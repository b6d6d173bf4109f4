using Personalization.Recommendation.Candidates;
using Personalization.Recommendation.Serving;

namespace Personalization.Recommendation.Tests.Serving;

public class DiversityTests
{
    // Items 0 and 1 are near twins; 2 and 3 are like nothing else.
    private static readonly ItemNeighbours Similar = ItemNeighbours.From([[new(1, 0.9f)], [new(0, 0.9f)], [], []]);

    private static readonly Diversity.Choice[] Candidates =
        [new(0, 1.0f, "Lamps"), new(1, 0.95f, "Lamps"), new(2, 0.9f, "Lamps"), new(3, 0.5f, "Rugs")];

    private static int[] Pick(int count, double diversity, int? cap = null) =>
        [.. Diversity.Select(Candidates, count, diversity, cap, Similar).Select(c => c.Item)];

    [Test]
    public void Without_diversity_the_order_is_the_scores() => Assert.That(Pick(4, 0), Is.EqualTo(new[] { 0, 1, 2, 3 }));

    [Test]
    public void Diversity_passes_over_a_near_twin_of_an_item_already_picked() =>
        Assert.That(Pick(4, 0.5), Is.EqualTo(new[] { 0, 2, 3, 1 }));

    [Test]
    public void Full_diversity_still_starts_with_the_best_item() => Assert.That(Pick(1, 1), Is.EqualTo(new[] { 0 }));

    [Test]
    public void A_category_cap_holds_even_when_fewer_items_are_left() =>
        Assert.That(Pick(4, 0, cap: 1), Is.EqualTo(new[] { 0, 3 }));
}
