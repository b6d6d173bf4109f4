using Personalization.Recommendation.Candidates;
using Personalization.Recommendation.Content;
using Personalization.Recommendation.Interactions;

namespace Personalization.Recommendation.Tests.Candidates;

public class ContentBasedTests
{
    private static readonly DateTime Day = new(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly Dictionary<string, ItemContent> Catalogue = new[]
    {
        new ItemContent("scarf-red", "Red wool scarf", "Warm knitted wool scarf", "Clothing > Scarves", 12),
        new ItemContent("hat-wool", "Wool beanie hat", "Knitted wool hat", "Clothing > Hats", 10),
        new ItemContent("spade", "Steel garden spade", "Heavy duty digging tool", "Garden > Tools", 25),
        new ItemContent("hose", "Garden hose 20m", "Flexible watering hose", "Garden > Watering", 30),
        new ItemContent("scarf-green", "Green wool scarf", "Warm knitted wool scarf", "Clothing > Scarves", 12),
    }.ToDictionary(i => i.Id);

    [Test]
    public void A_new_item_nobody_has_bought_is_reached_through_content_similarity()
    {
        Interaction[] history =
        [
            new("ann", "scarf-red", Day), new("bob", "spade", Day), new("bob", "hose", Day), new("cid", "hat-wool", Day),
        ];
        // The green scarf is only in the catalogue: it joins the matrix as an empty column.
        var data = TrainingData.Build(history, new InteractionWeighting(), Catalogue);
        var matrix = data.Matrix;
        var green = matrix.ItemIndex("scarf-green");
        Assert.That(matrix.UsersOf(green).Length, Is.Zero);

        var content = new ContentBased();
        content.Fit(data);
        var ann = matrix.UserIndex("ann");
        var top = content.Recommend(Person.Of(matrix, ann), 3, matrix.ItemsOf(ann));

        Assert.That(matrix.ItemIds[top[0].Item], Is.EqualTo("scarf-green"));
        Assert.That(matrix.ItemIds[top[1].Item], Is.EqualTo("hat-wool"), "shares wool and knitted, and the clothing category");
        Assert.That(top[0].Score, Is.GreaterThan(top[1].Score));

        var popularity = new Popularity();
        popularity.Fit(data);
        Assert.That(popularity.Recommend(Person.Of(matrix, ann), 10, matrix.ItemsOf(ann)).Select(s => s.Item), Does.Not.Contain(green),
            "collaborative generators cannot reach an item without interactions");
    }

    [Test]
    public void Text_features_are_unit_length_and_empty_for_items_without_a_catalogue_entry()
    {
        var features = TextFeaturizer.Featurize(["scarf-red", "unknown"], Catalogue);
        var values = features.Values(0).ToArray();
        Assert.That(Math.Sqrt(values.Sum(v => v * v)), Is.EqualTo(1).Within(1e-5));
        Assert.That(features.Indices(1).Length, Is.Zero);
    }
}
