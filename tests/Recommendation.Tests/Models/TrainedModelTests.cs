using Personalization.Recommendation.Candidates;
using Personalization.Recommendation.Interactions;
using Personalization.Recommendation.Models;
using Personalization.Recommendation.Ranking;
using Personalization.Recommendation.Tests.Ranking;

namespace Personalization.Recommendation.Tests.Models;

public class TrainedModelTests
{
    private static readonly string[] Words = ["wool scarf", "garden spade", "tea mug", "brass pen"];

    private static readonly GeneratorSettings Small = new()
    {
        Threads = 2,
        Als = ImplicitAls.Options.Default with { Factors = 8, Iterations = 5 },
        Ease = Ease.Options.Default with { Regularization = 10, Neighbours = 20 },
        Hybrid = HybridRecommender.Options.Default with
        {
            LabelDays = 20, CandidatesPerGenerator = 20, Trees = 30, Leaves = 4, MinimumRowsPerLeaf = 10,
        },
    };

    private static TrainingData Data()
    {
        var catalogue = Enumerable.Range(0, HybridRecommenderTests.Groups * HybridRecommenderTests.ItemsPerGroup).ToDictionary(
            n => $"i{n}", n => new ItemContent($"i{n}", $"{Words[n / HybridRecommenderTests.ItemsPerGroup]} number {n}", Price: 5 + n % 7));
        return TrainingData.Build(HybridRecommenderTests.GroupedHistory(), new InteractionWeighting(), catalogue);
    }

    [TestCaseSource(typeof(Algorithms), nameof(Algorithms.All))]
    public void A_saved_model_loads_and_answers_exactly_as_the_trained_one(string algorithm)
    {
        var data = Data();
        var trained = new TrainedModel(algorithm, Small, data, Algorithms.Create(algorithm, Small, hasCatalogue: true));
        trained.Generator.Fit(data);

        var bytes = trained.ToBytes();
        var loaded = TrainedModel.FromBytes(bytes);

        var matrix = data.Matrix;
        Person[] people =
        [
            Person.Of(matrix, 0), Person.Of(matrix, 77), Person.Of(matrix, 151),
            Person.Of(matrix, 5).With([(matrix.ItemIndex("i61"), 3f)]),
            Person.FromItems([(matrix.ItemIndex("i42"), 1f)], "UK"),
            Person.FromItems([], "DE"),
        ];
        Assert.That(loaded.Data.Matrix.ItemIds, Is.EqualTo(matrix.ItemIds));
        foreach (var person in people)
            Assert.That(loaded.Generator.Recommend(person, 10, person.Items), Is.EqualTo(trained.Generator.Recommend(person, 10, person.Items)),
                $"{algorithm} for row {person.Row} with {person.Items.Length} items");
    }

    [Test]
    public void The_trending_items_are_saved_with_the_model()
    {
        var data = Data();
        var trend = Trending.From(data.History, data.Matrix);
        Assert.That(trend.Items, Is.Not.Empty, "the grouped history has items that rise in its last week");
        var trained = new TrainedModel(Algorithms.Popularity, Small, data, Algorithms.Create(Algorithms.Popularity, Small, hasCatalogue: true), trend);
        trained.Generator.Fit(data);
        Assert.That(TrainedModel.FromBytes(trained.ToBytes()).Trend!.Items, Is.EquivalentTo(trend.Items));
    }

    [Test]
    public void Content_fitted_beside_a_generator_without_it_is_saved_and_reaches_an_item_nobody_has_had()
    {
        var grouped = Data();
        var data = TrainingData.Build(grouped.History, grouped.Weighting,
            new Dictionary<string, ItemContent>(grouped.Catalogue) { ["fresh"] = new("fresh", "tea mug number 99") });
        var popularity = Algorithms.Create(Algorithms.Popularity, Small, hasCatalogue: true);
        popularity.Fit(data);
        var content = new ContentBased(Small.Seed);
        content.Fit(data);
        var trained = new TrainedModel(Algorithms.Popularity, Small, data, popularity, Content: content);

        var loaded = TrainedModel.FromBytes(trained.ToBytes());
        var mug = Person.FromItems([(data.Matrix.ItemIndex("i41"), 1f)]);
        Assert.That(loaded.ContentGenerator, Is.SameAs(loaded.Content));
        Assert.That(loaded.Content!.Recommend(mug, 20, mug.Items).Select(s => data.Matrix.ItemIds[s.Item]), Has.Some.EqualTo("fresh"));
    }

    [Test]
    public void Bytes_that_are_not_a_model_are_refused_with_a_reason()
    {
        Assert.Throws<InvalidDataException>(() => TrainedModel.FromBytes("not a model at all"u8.ToArray()));
        var data = Data();
        var model = new TrainedModel(Algorithms.ItemItem, Small, data, Algorithms.Create(Algorithms.ItemItem, Small, true));
        model.Generator.Fit(data);
        var bytes = model.ToBytes();
        Assert.Throws<InvalidDataException>(() => TrainedModel.FromBytes(bytes[..(bytes.Length / 2)]), "a truncated model");
    }

    [Test]
    public void A_hybrid_leaves_out_a_source_that_refuses_the_catalogue_and_still_saves_and_loads()
    {
        var data = Data();
        var settings = Small with { Ease = Small.Ease with { MaxItems = 10 } };
        var model = new TrainedModel(Algorithms.Hybrid, settings, data, Algorithms.Create(Algorithms.Hybrid, settings, hasCatalogue: true));
        model.Generator.Fit(data);
        var hybrid = (HybridRecommender)model.Generator;

        Assert.That(hybrid.Generators.Select(g => g.Name), Does.Not.Contain(Algorithms.Ease).And.Contain(Algorithms.Als));
        Assert.That(hybrid.Skipped, Has.One.StartsWith("ease: ").And.Contain("80 items"));
        var loaded = TrainedModel.FromBytes(model.ToBytes());
        var person = Person.Of(data.Matrix, 9);
        Assert.That(loaded.Generator.Recommend(person, 10, person.Items), Is.EqualTo(hybrid.Recommend(person, 10, person.Items)));
    }
}
