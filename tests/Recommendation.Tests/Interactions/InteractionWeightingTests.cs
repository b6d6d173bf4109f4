using Personalization.Recommendation.Interactions;

namespace Personalization.Recommendation.Tests.Interactions;

public class InteractionWeightingTests
{
    private static readonly DateTime Now = new(2024, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    [Test]
    public void Default_weights_rank_view_below_add_to_cart_below_purchase()
    {
        var weighting = new InteractionWeighting();
        var view = weighting.Weight(new Interaction("u", "i", Now, InteractionTypes.View), Now);
        var cart = weighting.Weight(new Interaction("u", "i", Now, InteractionTypes.AddToCart), Now);
        var purchase = weighting.Weight(new Interaction("u", "i", Now, InteractionTypes.Purchase), Now);
        Assert.That(view, Is.LessThan(cart));
        Assert.That(cart, Is.LessThan(purchase));
    }

    [Test]
    public void Type_weights_are_configurable_and_unknown_types_get_the_fallback()
    {
        var weighting = new InteractionWeighting
        {
            TypeWeights = new Dictionary<string, float> { ["view"] = 0.5f, ["wishlist"] = 2f },
            UnknownTypeWeight = 0.25f,
        };
        Assert.Multiple(() =>
        {
            Assert.That(weighting.Weight(new Interaction("u", "i", Now, "view"), Now), Is.EqualTo(0.5f));
            Assert.That(weighting.Weight(new Interaction("u", "i", Now, "wishlist"), Now), Is.EqualTo(2f));
            Assert.That(weighting.Weight(new Interaction("u", "i", Now, "share"), Now), Is.EqualTo(0.25f));
        });
    }

    [Test]
    public void An_explicit_value_replaces_the_type_weight_unless_values_are_ignored()
    {
        var rated = new Interaction("u", "i", Now, InteractionTypes.View, Value: 4f);
        Assert.That(new InteractionWeighting().Weight(rated, Now), Is.EqualTo(4f));
        Assert.That(new InteractionWeighting { UseValues = false }.Weight(rated, Now), Is.EqualTo(1f));
    }

    [Test]
    public void Weight_halves_every_half_life_and_later_events_are_not_boosted()
    {
        var weighting = new InteractionWeighting { HalfLifeDays = 10 };
        var purchase = new Interaction("u", "i", Now.AddDays(-10), InteractionTypes.Purchase);
        Assert.Multiple(() =>
        {
            Assert.That(weighting.Weight(purchase, Now), Is.EqualTo(2.5f).Within(1e-5));
            Assert.That(weighting.Weight(purchase with { Timestamp = Now.AddDays(-20) }, Now), Is.EqualTo(1.25f).Within(1e-5));
            Assert.That(weighting.Weight(purchase with { Timestamp = Now.AddDays(3) }, Now), Is.EqualTo(5f));
            Assert.That(new InteractionWeighting().Weight(purchase with { Timestamp = Now.AddYears(-5) }, Now), Is.EqualTo(5f));
        });
    }

    [Test]
    public void Matrix_sums_weighted_interactions_per_user_and_item_with_decay_from_the_latest_event()
    {
        var interactions = new[]
        {
            new Interaction("ann", "tea", Now.AddDays(-7), InteractionTypes.View, Context: "FR"),
            new Interaction("ann", "tea", Now, InteractionTypes.Purchase, Context: "DE"),
            new Interaction("bob", "cup", Now.AddDays(-7), InteractionTypes.AddToCart),
            new Interaction("ann", "cup", Now.AddDays(-14), InteractionTypes.View),
        };
        var matrix = InteractionMatrix.Build(interactions, new InteractionWeighting { HalfLifeDays = 7 });

        var ann = matrix.UserIndex("ann");
        var tea = matrix.ItemIndex("tea");
        var cup = matrix.ItemIndex("cup");
        Assert.Multiple(() =>
        {
            Assert.That(matrix.UserCount, Is.EqualTo(2));
            Assert.That(matrix.ItemCount, Is.EqualTo(2));
            Assert.That(matrix.NonZeroCount, Is.EqualTo(3));
            Assert.That(matrix.ItemsOf(ann).ToArray(), Is.EqualTo(new[] { tea, cup }));
            Assert.That(matrix.ValuesOfUser(ann).ToArray(), Is.EqualTo(new[] { 0.5f + 5f, 0.25f }).Within(1e-5));
            Assert.That(matrix.UsersOf(cup).ToArray(), Is.EqualTo(new[] { ann, matrix.UserIndex("bob") }));
            Assert.That(matrix.ValuesOfItem(cup).ToArray(), Is.EqualTo(new[] { 0.25f, 1.5f }).Within(1e-5));
            Assert.That(matrix.UserContexts[ann], Is.EqualTo("DE"), "the latest context wins");
            Assert.That(matrix.UserIndex("nobody"), Is.EqualTo(-1));
        });
    }
}
