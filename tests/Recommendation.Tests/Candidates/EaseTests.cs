using Personalization.Recommendation.Candidates;
using Personalization.Recommendation.Interactions;

namespace Personalization.Recommendation.Tests.Candidates;

public class EaseTests
{
    [Test]
    public void Inversion_gives_the_inverse_of_a_symmetric_positive_definite_matrix()
    {
        var random = new Random(3);
        const int n = 30;
        var x = new float[n * n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j <= i; j++)
                x[i * n + j] = x[j * n + i] = i == j ? n + random.NextSingle() : random.NextSingle() - 0.5f;
        var inverse = (float[])x.Clone();

        Ease.InvertInPlace(inverse, n, 2);

        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
            {
                var product = 0.0;
                for (var m = 0; m < n; m++) product += x[i * n + m] * inverse[m * n + j];
                Assert.That(product, Is.EqualTo(i == j ? 1 : 0).Within(1e-4), $"(A·A⁻¹)[{i},{j}]");
            }
    }

    [Test]
    public void Ease_weights_follow_planted_co_occurrence_and_never_point_an_item_at_itself()
    {
        // 100 users: items 0 and 1 always together, 2 and 3 always together, 4..9 at random.
        var random = new Random(11);
        var entries = new List<(int, int, float)>();
        for (var user = 0; user < 100; user++)
        {
            var pair = user % 2 == 0 ? 0 : 2;
            entries.Add((user, pair, 1f));
            entries.Add((user, pair + 1, 1f));
            entries.Add((user, 4 + random.Next(6), 1f));
        }
        var matrix = InteractionMatrix.FromEntries(100, 10, entries);
        var ease = new Ease(new Ease.Options { Regularization = 5, Neighbours = 5 });
        ease.Fit(TrainingData.Of(matrix));

        Assert.Multiple(() =>
        {
            Assert.That(ease.Weights.Of(0)[0].Item, Is.EqualTo(1));
            Assert.That(ease.Weights.Of(3)[0].Item, Is.EqualTo(2));
            for (var item = 0; item < 10; item++)
                Assert.That(ease.Weights.Of(item).Select(w => w.Item), Does.Not.Contain(item));
            Assert.That(ease.Weights.Of(0), Has.Length.LessThanOrEqualTo(5));
        });
        var half = Person.FromItems([(0, 1f)]);
        Assert.That(ease.Recommend(half, 1, half.Items).Single().Item, Is.EqualTo(1), "a product page of one half shows the other");
    }

    [Test]
    public void Ease_refuses_a_catalogue_above_its_limit_with_a_reason()
    {
        var matrix = InteractionMatrix.FromEntries(2, 50, [(0, 1, 1f), (1, 2, 1f)]);
        var ex = Assert.Throws<InvalidOperationException>(() => new Ease(new Ease.Options { MaxItems = 40 }).Fit(TrainingData.Of(matrix)));
        Assert.That(ex!.Message, Does.Contain("50 items").And.Contain("40"));
    }
}
