using Personalization.Recommendation.Ranking;
using Personalization.Recommendation.Candidates;
using Personalization.Recommendation.Evaluation;
using Personalization.Recommendation.Interactions;

namespace Personalization.Recommendation.Models;

/// <summary>How a training run works: what it tries, and how much of the end of the data it holds out to judge.</summary>
public sealed record TrainingOptions
{
    /// <summary>Tried in order: the first that can learn from the data is the model (the hybrid's ranker needs hundreds of rows).</summary>
    public IReadOnlyList<string> Algorithms { get; init; } = [Models.Algorithms.Hybrid, Models.Algorithms.Ease, Models.Algorithms.ItemItem, Models.Algorithms.Popularity];

    public GeneratorSettings Settings { get; init; } = new() { HalfLifeDays = 15 };

    /// <summary>The held-out part: the last days of the data (at most a quarter of it), judged at cut-off <see cref="K"/>.</summary>
    public double HoldOutDays { get; init; } = 14;

    public int K { get; init; } = 10;
}

/// <summary>A training run's result: the model fitted on all the data, its summary, and why earlier choices were passed over.</summary>
public sealed record TrainingOutcome(TrainedModel Model, ModelSummary Summary, IReadOnlyList<string> PassedOver);

/// <summary>
/// One training run, pure: judge each algorithm in turn on a temporal hold-out of the data's end (never seen by
/// the fit it judges), take the first that can learn, then fit it on everything. The held-out metrics go into the
/// version's summary, so activation can compare versions.
/// </summary>
public static class ModelTrainer
{
    public const string Ndcg = "ndcg", NdcgMargin = "ndcg_margin", Precision = "precision", Recall = "recall", Map = "map",
        Coverage = "coverage", EvaluatedUsers = "evaluated_users";

    public static TrainingOutcome Train(InteractionFile file, TrainingOptions options, IProgress<string>? progress = null)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var interactions = file.Interactions;
        if (interactions.Count == 0) throw new InvalidOperationException("the tenant has no interactions to learn from");
        var (from, to) = (interactions.Min(x => x.Timestamp), interactions.Max(x => x.Timestamp));
        var span = (to - from).TotalDays;
        var split = DataSplit.Create(interactions, SplitKind.Temporal, 0.25, options.Settings.Seed, span > 4 * options.HoldOutDays ? options.HoldOutDays : null);
        var setup = EvaluationSetup.Prepare(split, options.Settings.Weighting, file.Items);
        var hasCatalogue = file.Items.Count > 0;

        var passedOver = new List<string>();
        foreach (var algorithm in options.Algorithms)
        {
            progress?.Report($"evaluating {algorithm} on the held-out {split.Description}");
            Dictionary<string, double> metrics;
            try
            {
                metrics = setup.Users.Length == 0
                    ? []
                    : Metrics(OfflineEvaluator.Evaluate(Algorithms.Create(algorithm, options.Settings, hasCatalogue), setup, options.K, options.Settings.Threads));
                progress?.Report($"fitting {algorithm} on all {interactions.Count:N0} interactions");
                var data = TrainingData.Build(interactions, options.Settings.Weighting, file.Items);
                var generator = Algorithms.Create(algorithm, options.Settings, hasCatalogue);
                generator.Fit(data);
                var summary = new ModelSummary(new DateTimeOffset(from, TimeSpan.Zero), new DateTimeOffset(to, TimeSpan.Zero),
                    interactions.Count, data.Matrix.UserCount, data.Matrix.ItemCount, metrics, (generator as HybridRecommender)?.FeatureProfiles,
                    Math.Round(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds, 2));
                var model = new TrainedModel(algorithm, options.Settings, data, generator, Trending.From(interactions, data.Matrix));
                if (hasCatalogue && model.ContentGenerator is null)
                {
                    var content = new ContentBased(options.Settings.Seed);
                    content.Fit(data);
                    model = model with { Content = content };
                }
                return new TrainingOutcome(model, summary, passedOver);
            }
            catch (InvalidOperationException ex)
            {
                passedOver.Add($"{algorithm}: {ex.Message}");
            }
        }
        throw new InvalidOperationException($"no algorithm could learn from the data ({string.Join("; ", passedOver)})");
    }

    private static Dictionary<string, double> Metrics(EvaluationRow row) => new()
    {
        [Ndcg] = row.Ndcg, [NdcgMargin] = row.NdcgMargin, [Precision] = row.Precision, [Recall] = row.Recall, [Map] = row.Map,
        [Coverage] = row.Coverage,
    };
}

/// <summary>
/// When a new version replaces the active one by itself: when its held-out NDCG is not worse than the active
/// version's beyond the active one's 95% interval. Without metrics on either side (too little data to judge) it
/// waits for an explicit activation, unless nothing is active yet.
/// </summary>
public static class AutoActivation
{
    public static bool Replaces(ModelSummary candidate, ModelSummary? active)
    {
        if (active is null) return true;
        if (!candidate.Metrics.TryGetValue(ModelTrainer.Ndcg, out var ndcg)
            || !active.Metrics.TryGetValue(ModelTrainer.Ndcg, out var activeNdcg)) return false;
        return ndcg >= activeNdcg - active.Metrics.GetValueOrDefault(ModelTrainer.NdcgMargin);
    }
}
