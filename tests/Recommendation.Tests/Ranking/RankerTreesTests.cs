using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;
using Personalization.Recommendation.Ranking;

namespace Personalization.Recommendation.Tests.Ranking;

public class RankerTreesTests
{
    private const int Width = 6;

    private sealed class Row
    {
        public float Label { get; set; }
        public uint Group { get; set; }
        [VectorType(Width)] public float[] Features { get; set; } = [];
    }

    private sealed class Scored
    {
        public float Score { get; set; }
    }

    /// <summary>Rows whose label follows two of the features, with a fifth of the values missing (NaN), as generator scores often are.</summary>
    private static List<Row> Rows(int seed, int groups)
    {
        var random = new Random(seed);
        var rows = new List<Row>();
        for (var group = 0; group < groups; group++)
            for (var n = 0; n < 20; n++)
            {
                var features = Enumerable.Range(0, Width).Select(_ => random.NextDouble() < 0.2 ? float.NaN : (float)random.NextDouble()).ToArray();
                var signal = (float.IsNaN(features[0]) ? 0.3 : features[0]) + 0.5 * (float.IsNaN(features[3]) ? 0.8 : features[3]);
                rows.Add(new Row { Label = signal + 0.2 * random.NextDouble() > 0.9 ? 1 : 0, Group = (uint)group, Features = features });
            }
        return rows;
    }

    /// <summary>A LightGBM ranking pipeline fitted on 60 groups of <see cref="Rows"/>, and the data it was fitted on.</summary>
    private static (ITransformer Ranker, IDataView Data) Fit(MLContext ml)
    {
        var trainer = ml.Ranking.Trainers.LightGbm(new LightGbmRankingTrainer.Options
        {
            LabelColumnName = nameof(Row.Label), FeatureColumnName = nameof(Row.Features), RowGroupColumnName = "GroupKey",
            NumberOfIterations = 60, NumberOfLeaves = 7, MinimumExampleCountPerLeaf = 10, LearningRate = 0.1, Seed = 3, Silent = true,
        });
        var view = ml.Data.LoadFromEnumerable(Rows(1, 60));
        return (ml.Transforms.Conversion.MapValueToKey("GroupKey", nameof(Row.Group)).Append(trainer).Fit(view), view);
    }

    [Test]
    public void Scores_every_row_as_ml_net_does_missing_values_included_and_after_a_save_and_load()
    {
        var ml = new MLContext(3);
        var (fitted, view) = Fit(ml);
        using var saved = new MemoryStream();
        ml.Model.Save(fitted, view.Schema, saved);
        saved.Position = 0;
        var loaded = ml.Model.Load(saved, out _);

        foreach (var ranker in new ITransformer[] { fitted, loaded })
        {
            var trees = RankerTrees.From(ranker);
            var engine = ml.Model.CreatePredictionEngine<Row, Scored>(ranker);
            var rows = Rows(2, 20);
            var expected = rows.Select(r => engine.Predict(r).Score).ToArray();
            Assert.That(expected.Distinct().Count(), Is.GreaterThan(20), "the trees should tell the rows apart");
            var scores = new float[rows.Count];
            trees.Score(rows.SelectMany(r => r.Features).ToArray(), Width, scores);
            Assert.That(scores, Is.EqualTo(expected).Within(1e-5));
        }
    }

    [Test]
    public void Feature_contributions_point_at_the_features_the_label_follows_and_say_which_way()
    {
        var ml = new MLContext(3);
        var (ranker, _) = Fit(ml);
        var rows = Rows(4, 3);
        float[] high = [0.95f, 0.5f, 0.5f, 0.95f, 0.5f, 0.5f], low = [0.05f, 0.5f, 0.5f, 0.05f, 0.5f, 0.5f];

        var contributions = RankerContributions.Of(ml, ranker, [.. rows.SelectMany(r => r.Features), .. high, .. low], Width);

        Assert.That(contributions, Has.Length.EqualTo(rows.Count + 2));
        Assert.That(contributions, Has.All.Length.EqualTo(Width));
        var strongest = Enumerable.Range(0, Width).OrderByDescending(f => rows.Select((_, r) => Math.Abs(contributions[r][f])).Sum()).Take(2);
        Assert.That(strongest, Is.EquivalentTo(new[] { 0, 3 }), "the label follows features 0 and 3");
        Assert.That(new[] { contributions[^2][0], contributions[^2][3] }, Has.All.Positive, "high values of both raise the score");
        Assert.That(new[] { contributions[^1][0], contributions[^1][3] }, Has.All.Negative, "low values lower it");
    }

    [Test]
    public void A_pipeline_without_lightgbm_ranking_trees_is_refused()
    {
        var ml = new MLContext(3);
        var view = ml.Data.LoadFromEnumerable(Rows(1, 2));
        var notRanker = ml.Transforms.Conversion.MapValueToKey("GroupKey", nameof(Row.Group)).Fit(view);
        Assert.That(() => RankerTrees.From(notRanker), Throws.TypeOf<InvalidDataException>());
    }
}
