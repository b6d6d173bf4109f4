using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;
using Personalization.Segmentation.Segments.Discovery.Features;
using Personalization.Segmentation.Segments.Discovery.Statistics;

namespace Personalization.Segmentation.Segments.Discovery.Methods;

/// <summary>What a predictive segment predicts: an order within the horizon, or (churn) none.</summary>
public sealed record PredictiveTarget(string Id, string Name, TimeSpan Horizon, bool NoOrder, double Threshold)
{
    public bool Label(CustomerHistory person, DateTimeOffset at) => person.OrderedBetween(at, at + Horizon) != NoOrder;
}

/// <summary>
/// How one target's model did: trained on features at <see cref="TrainedAt"/> labelled by what followed, tested on
/// features at <see cref="TestedAt"/> labelled by what followed up to the run's instant (after the training labels
/// end: no leakage), and how many are in its segment now.
/// </summary>
public sealed record TargetReport(string Segment, string Name, double HorizonDays, DateTimeOffset TrainedAt, DateTimeOffset TestedAt,
    int TrainExamples, double TrainPositiveRate, int TestExamples, double TestPositiveRate, double Auc, CalibrationReport Calibration,
    double Threshold, double TestPrecision, double TestRecall, int Members, string? Skipped = null);

public sealed record PredictiveReport(int Customers, IReadOnlyList<string> Features, IReadOnlyList<TargetReport> Targets);

/// <summary>
/// Predictive segments, <c>predictive.likely-to-buy-30d</c> and <c>predictive.churn-risk</c> (no order in 90 days):
/// a LightGBM classifier per target on a temporal split, with AUC and calibration on the test window; a customer is a
/// member when their probability now is at least the segment's threshold. The model that scores now is refit, with the
/// same fixed settings, on the latest labelled window (the test window's), so it has seen the most recent behaviour.
/// </summary>
public static class PredictiveMethod
{
    public const string Name = "predictive";

    /// <summary>Fixed LightGBM settings (not tuned: there is no room for a further validation window in a year of data).</summary>
    private const int Trees = 100, Leaves = 15, MinimumPerLeaf = 20;
    private const double LearningRate = 0.05;

    public static readonly string[] FeatureNames =
        ["recency", "frequency", "monetary", "sessions", "events", "tenure", "orders-30d", "orders-90d", "average-order"];

    public static PredictiveTarget[] Targets(DiscoveryOptions options) =>
    [
        new("likely-to-buy-30d", "Likely to buy in the next 30 days", TimeSpan.FromDays(30), NoOrder: false, options.BuyThreshold),
        new("churn-risk", "Churn risk: no order in the next 90 days", TimeSpan.FromDays(90), NoOrder: true, options.ChurnThreshold),
    ];

    /// <summary>The instants a run needs features at, ascending: for each target, two horizons back and one, and now.</summary>
    public static IReadOnlyList<DateTimeOffset> Instants(DateTimeOffset asOf, DiscoveryOptions options) =>
        Targets(options).SelectMany(t => new[] { asOf - 2 * t.Horizon, asOf - t.Horizon }).Append(asOf).Distinct().Order().ToList();

    public static DiscoveredSet Run(IReadOnlyList<CustomerHistory> people, IReadOnlyList<DateTimeOffset> instants, DateTimeOffset asOf, DiscoveryOptions options)
    {
        var now = instants.Count - 1;
        var scored = people.Where(p => p.At[now] is not null).ToList();
        var reports = new List<TargetReport>();
        var segments = new List<DiscoveredSegment>();
        var probabilities = new List<double[]>();
        foreach (var target in Targets(options))
        {
            var (trainAt, testAt) = (asOf - 2 * target.Horizon, asOf - target.Horizon);
            var train = Examples(people, instants, trainAt, target);
            var test = Examples(people, instants, testAt, target);
            if ((Unfit(train) ?? Unfit(test)) is { } reason)
            {
                reports.Add(new TargetReport($"{Name}.{target.Id}", target.Name, target.Horizon.TotalDays, trainAt, testAt, train.Count, Rate(train),
                    test.Count, Rate(test), double.NaN, new CalibrationReport(double.NaN, double.NaN, []), target.Threshold, double.NaN, double.NaN, 0, reason));
                continue;
            }
            var tested = Score(Fit(train, options.Seed), test.Select(e => e.Features).ToList());
            var labels = test.Select(e => e.Label).ToList();
            var current = Score(Fit(test, options.Seed), scored.Select(p => Vector(p, now, asOf)).ToList());
            var members = scored.Where((_, i) => current[i] >= target.Threshold).Select(p => p.UserKey).ToList();
            var (precision, recall) = PrecisionRecall(tested, labels, target.Threshold);
            reports.Add(new TargetReport($"{Name}.{target.Id}", target.Name, target.Horizon.TotalDays, trainAt, testAt, train.Count, Rate(train),
                test.Count, Rate(test), Classification.Auc(tested, labels), Classification.Calibration(tested, labels), target.Threshold,
                precision, recall, members.Count));
            segments.Add(new DiscoveredSegment($"{Name}.{target.Id}", target.Name,
                $"Customers whose predicted probability is at least {target.Threshold:0.##} (LightGBM on RFM and engagement; test AUC {reports[^1].Auc:0.000}).", members));
            probabilities.Add(current);
        }
        var soft = scored.Select((p, i) => new SoftMembership(p.UserKey, probabilities.Select(column => column[i]).ToArray())).ToList();
        return new DiscoveredSet(Name, scored.Count, new PredictiveReport(scored.Count, FeatureNames, reports), segments) { Soft = soft };
    }

    /// <summary>The customers known at <paramref name="at"/>, their features then, and what followed within the horizon.</summary>
    private static List<(float[] Features, bool Label)> Examples(IReadOnlyList<CustomerHistory> people, IReadOnlyList<DateTimeOffset> instants, DateTimeOffset at, PredictiveTarget target)
    {
        var index = IndexOf(instants, at);
        return people.Where(p => p.At[index] is not null).Select(p => (Vector(p, index, at), target.Label(p, at))).ToList();
    }

    private static int IndexOf(IReadOnlyList<DateTimeOffset> instants, DateTimeOffset at)
    {
        for (var i = 0; i < instants.Count; i++) if (instants[i] == at) return i;
        throw new ArgumentException($"No features were read at {at:O}.", nameof(at));
    }

    private static float[] Vector(CustomerHistory person, int index, DateTimeOffset at)
    {
        var c = person.At[index]!;
        // Orders by instant: an order sent as several line events shares one timestamp.
        var orders = person.Orders.Where(o => o <= at).Distinct().ToList();
        return
        [
            (float)c.Rfm.RecencyDays, c.Rfm.Frequency, (float)c.Rfm.Monetary, c.Sessions, c.Events, (float)c.TenureDays,
            orders.Count(o => o > at.AddDays(-30)), orders.Count(o => o > at.AddDays(-90)), (float)(c.Rfm.Monetary / Math.Max(1, c.Rfm.Frequency)),
        ];
    }

    private static string? Unfit(List<(float[] Features, bool Label)> examples) =>
        examples.Count < 4 * MinimumPerLeaf ? $"too few customers to learn from ({examples.Count}; at least {4 * MinimumPerLeaf})"
        : examples.All(e => e.Label) || examples.All(e => !e.Label) ? "every customer had the same outcome"
        : null;

    private static double Rate(List<(float[] Features, bool Label)> examples) => examples.Count == 0 ? 0 : (double)examples.Count(e => e.Label) / examples.Count;

    private sealed class Row
    {
        public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }

    private static (MLContext Ml, ITransformer Model, SchemaDefinition Schema) Fit(List<(float[] Features, bool Label)> examples, int seed)
    {
        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, FeatureNames.Length);
        var data = ml.Data.LoadFromEnumerable(examples.Select(e => new Row { Features = e.Features, Label = e.Label }), schema);
        var model = ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            LabelColumnName = nameof(Row.Label),
            FeatureColumnName = nameof(Row.Features),
            NumberOfIterations = Trees,
            NumberOfLeaves = Leaves,
            MinimumExampleCountPerLeaf = MinimumPerLeaf,
            LearningRate = LearningRate,
            Seed = seed,
            NumberOfThreads = 1,
            Silent = true,
        }).Fit(data);
        return (ml, model, schema);
    }

    private static double[] Score((MLContext Ml, ITransformer Model, SchemaDefinition Schema) fit, List<float[]> rows)
    {
        var data = fit.Ml.Data.LoadFromEnumerable(rows.Select(r => new Row { Features = r }), fit.Schema);
        return fit.Model.Transform(data).GetColumn<float>("Probability").Select(p => (double)p).ToArray();
    }

    private static (double Precision, double Recall) PrecisionRecall(double[] scores, List<bool> labels, double threshold)
    {
        int truePositive = 0, predicted = 0, positives = labels.Count(l => l);
        for (var i = 0; i < scores.Length; i++)
        {
            if (scores[i] < threshold) continue;
            predicted++;
            if (labels[i]) truePositive++;
        }
        return (predicted == 0 ? double.NaN : (double)truePositive / predicted, positives == 0 ? double.NaN : (double)truePositive / positives);
    }
}
