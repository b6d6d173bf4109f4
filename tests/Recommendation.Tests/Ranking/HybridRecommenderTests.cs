using Personalization.Recommendation.Candidates;
using Personalization.Recommendation.Evaluation;
using Personalization.Recommendation.Interactions;
using Personalization.Recommendation.Ranking;

namespace Personalization.Recommendation.Tests.Ranking;

public class HybridRecommenderTests
{
    private static readonly DateTime Start = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    internal const int Groups = 4, UsersPerGroup = 40, ItemsPerGroup = 20;

    /// <summary>
    /// 120 days of purchases: each user buys items of their own group (country FR, DE, UK or US) and now and then a
    /// random item; two items per group are bought far more than the others.
    /// </summary>
    internal static List<Interaction> GroupedHistory()
    {
        string[] countries = ["FR", "DE", "UK", "US"];
        var random = new Random(21);
        var history = new List<Interaction>();
        for (var user = 0; user < Groups * UsersPerGroup; user++)
        {
            var group = user / UsersPerGroup;
            for (var n = 0; n < 14; n++)
            {
                var item = random.NextDouble() switch
                {
                    < 0.1 => random.Next(Groups * ItemsPerGroup),
                    < 0.4 => group * ItemsPerGroup + random.Next(2),
                    _ => group * ItemsPerGroup + random.Next(ItemsPerGroup),
                };
                history.Add(new Interaction($"u{user}", $"i{item}", Start.AddDays(random.Next(120)).AddMinutes(user), Context: countries[group]));
            }
        }
        return history;
    }

    private static ICandidateGenerator[] Generators() =>
    [
        new Popularity(),
        new ContextPopularity(),
        new ItemItemCf(NeighbourhoodOptions.ItemDefault with { Neighbours = 10 }),
        new ImplicitAls(new ImplicitAls.Options { Factors = 8, Iterations = 5, MaxDegreeOfParallelism = 2 }),
    ];

    private static HybridRecommender.Options SmallRanker => new()
    {
        LabelDays = 20, CandidatesPerGenerator = 20, Trees = 30, Leaves = 4, MinimumRowsPerLeaf = 10, Threads = 2,
    };

    [Test]
    public void Hybrid_learns_from_a_temporal_split_and_ranks_each_users_own_group_first()
    {
        var split = DataSplit.Create(GroupedHistory(), SplitKind.Temporal, 0.25, 42, testDays: 20);
        var setup = EvaluationSetup.Prepare(split, new InteractionWeighting());
        var hybrid = new HybridRecommender(Generators, SmallRanker);

        var row = OfflineEvaluator.Evaluate(hybrid, setup, 5, 2);
        var popularity = OfflineEvaluator.Evaluate(new Popularity(), setup, 5, 2);

        Assert.That(hybrid.TrainingSet.Positives, Is.GreaterThan(0));
        Assert.That(hybrid.TrainingSet.Users, Is.GreaterThan(50));
        Assert.That(row.Ndcg, Is.GreaterThan(popularity.Ndcg));
        var inGroup = 0;
        var total = 0;
        foreach (var user in setup.Users)
        {
            var group = int.Parse(setup.Train.UserIds[user][1..]) / UsersPerGroup;
            foreach (var (item, _) in hybrid.Recommend(Person.Of(setup.Train, user), 5, setup.Train.ItemsOf(user)))
            {
                total++;
                if (int.Parse(setup.Train.ItemIds[item][1..]) / ItemsPerGroup == group) inGroup++;
            }
        }
        Assert.That(inGroup / (double)total, Is.GreaterThan(0.9));
    }

    [Test]
    public void With_a_random_label_split_the_hybrid_learns_from_every_user_not_only_the_recent_ones()
    {
        var split = DataSplit.Create(GroupedHistory(), SplitKind.Random, 0.25, 42);
        var setup = EvaluationSetup.Prepare(split, new InteractionWeighting());
        var temporal = new HybridRecommender(Generators, SmallRanker with { LabelDays = 5 });
        var random = new HybridRecommender(Generators, SmallRanker with { LabelSplit = SplitKind.Random, LabelFraction = 0.25 });

        var temporalRow = OfflineEvaluator.Evaluate(temporal, setup, 5, 2);
        var randomRow = OfflineEvaluator.Evaluate(random, setup, 5, 2);

        Assert.That(random.TrainingSet.Users, Is.GreaterThan(temporal.TrainingSet.Users),
            "a random quarter gives labels to nearly every user, the last 5 days only to some");
        Assert.That(randomRow.Ndcg, Is.GreaterThan(OfflineEvaluator.Evaluate(new Popularity(), setup, 5, 2).Ndcg));
        Assert.That(randomRow.Ndcg, Is.GreaterThanOrEqualTo(temporalRow.Ndcg));
    }

    [Test]
    public void A_person_new_to_the_model_is_ranked_from_their_items_and_country()
    {
        var data = TrainingData.Build(GroupedHistory(), new InteractionWeighting());
        var matrix = data.Matrix;
        var hybrid = new HybridRecommender(Generators, SmallRanker);
        hybrid.Fit(data);

        int Group(int item) => int.Parse(matrix.ItemIds[item][1..]) / ItemsPerGroup;
        var viewer = Person.FromItems([(matrix.ItemIndex($"i{ItemsPerGroup + 3}"), 1f), (matrix.ItemIndex($"i{ItemsPerGroup + 4}"), 1f)]);
        var german = Person.FromItems([], "DE");
        Assert.That(hybrid.Recommend(viewer, 3, viewer.Items).Select(s => Group(s.Item)), Is.All.EqualTo(1), "two views of group 1's items");
        Assert.That(hybrid.Recommend(german, 2, []).Select(s => Group(s.Item)), Is.All.EqualTo(1), "nothing but a country of group 1");
        Assert.That(hybrid.Recommend(Person.Nobody, 3, []), Has.Length.EqualTo(3), "nothing at all: still an answer");
    }

    [Test]
    public void The_ranker_explains_each_item_it_ranked_for_a_trained_person_by_its_features()
    {
        var data = TrainingData.Build(GroupedHistory(), new InteractionWeighting());
        var hybrid = new HybridRecommender(Generators, SmallRanker);
        hybrid.Fit(data);
        var person = Person.Of(data.Matrix, 5);
        var top = hybrid.Rank(person, 5, data.Matrix.ItemsOf(5));

        var explained = hybrid.Explain(person, [.. top.Select(r => r.Item)], data.Matrix.ItemsOf(5));

        Assert.That(explained.Keys, Is.EquivalentTo(top.Select(r => r.Item)));
        var names = Generators().SelectMany(g => new[] { $"{g.Name}.score", $"{g.Name}.reciprocalRank" }).Concat(RankingFeatures.Names).ToList();
        Assert.That(explained.Values.SelectMany(c => c).Select(c => c.Feature).Except(names), Is.Empty);
        Assert.That(explained.Values, Has.All.Not.Empty, "every ranked item got there by some feature");
        Assert.That(explained.Values, Has.All.Matches<IReadOnlyList<HybridRecommender.FeatureContribution>>(
            c => c.Select(x => Math.Abs(x.Value)).SequenceEqual(c.Select(x => Math.Abs(x.Value)).OrderDescending())), "largest first");
        Assert.That(hybrid.Explain(Person.FromItems([(0, 1f)]), [.. top.Select(r => r.Item)], []), Is.Empty, "the ranker does not order someone it was not trained on");
    }

    [Test]
    public void Fitting_profiles_the_rankers_features_and_serving_keeps_a_sample_of_its_live_inputs()
    {
        var data = TrainingData.Build(GroupedHistory(), new InteractionWeighting());
        var hybrid = new HybridRecommender(Generators, SmallRanker);
        hybrid.Fit(data);

        Assert.That(hybrid.FeatureProfiles.Select(p => p.Feature), Is.EqualTo(hybrid.FeatureNames));
        Assert.That(hybrid.FeatureProfiles, Has.All.Matches<FeatureProfile>(p => p.Counts.Sum() > 0));
        Assert.That(hybrid.LiveRows(), Is.Empty);
        hybrid.Rank(Person.FromItems([(0, 1f)]), 5, []);
        Assert.That(hybrid.LiveRows(), Is.Empty, "the ranker does not score someone it was not trained on");
        for (var user = 0; user < 10; user++) hybrid.Rank(Person.Of(data.Matrix, user), 5, data.Matrix.ItemsOf(user));
        Assert.That(hybrid.LiveRows(), Has.Count.EqualTo(40).And.All.Length.EqualTo(hybrid.FeatureNames.Count));
    }

    [Test]
    public void Hybrid_never_recommends_what_the_user_already_has()
    {
        var data = TrainingData.Build(GroupedHistory(), new InteractionWeighting());
        var matrix = data.Matrix;
        var hybrid = new HybridRecommender(Generators, SmallRanker);
        hybrid.Fit(data);
        for (var user = 0; user < matrix.UserCount; user += 7)
        {
            var top = hybrid.Recommend(Person.Of(matrix, user), 10, matrix.ItemsOf(user)).Select(s => s.Item).ToArray();
            Assert.That(top, Is.Unique);
            Assert.That(top.Intersect(matrix.ItemsOf(user).ToArray()), Is.Empty);
        }
    }
}
