using Personalization.Recommendation.Candidates;
using Personalization.Recommendation.Interactions;
using Personalization.Recommendation.Models;
using Personalization.ServiceDefaults;

namespace Personalization.Recommendation.Evaluation;

/// <summary>What the evaluate verb was asked for: the data, the split, the cut-off k, the algorithms and their settings.</summary>
public sealed record EvaluationOptions(
    InteractionSourceOptions Source,
    SplitKind Split,
    double TestFraction,
    double? TestDays,
    int K,
    bool Validation,
    IReadOnlyList<string>? Algorithms,
    GeneratorSettings Settings)
{
    /// <summary>The algorithms' settings among the options.</summary>
    public static readonly string[] AlgorithmSettings =
    [
        "factors", "iterations", "regularization", "alpha", "log-epsilon",
        "item-neighbours", "item-shrinkage", "item-binary", "user-neighbours", "user-shrinkage", "user-binary",
        "ease-regularization", "ease-neighbours", "ease-binary",
        "sources", "label-days", "candidates", "negatives", "trees", "leaves", "learning-rate", "min-leaf",
    ];

    /// <summary>Every option name the verb knows; the service README describes each.</summary>
    public static readonly string[] Names =
    [
        "interactions", "event-log", "format", "columns", "split", "test-fraction", "test-days", "seed", "k", "protocol",
        "algorithms", "validation", "half-life-days", "threads", .. AlgorithmSettings,
    ];

    public static EvaluationOptions From(VerbOptions options)
    {
        // Microsoft Recommenders' movielens table: random 75/25 over all interactions, seed 42, k = 10.
        var protocol = options.Text("protocol");
        if (protocol is not (null or "movielens")) throw new UsageException($"unknown protocol '{protocol}' (movielens)");
        var split = ParseSplit(options.Text("split") ?? (protocol is null ? "temporal" : "random"));
        var testFraction = options.Double("test-fraction", 0.25);
        if (testFraction is <= 0 or >= 1) throw new UsageException("--test-fraction must be between 0 and 1");
        var algorithms = options.Text("algorithms")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (algorithms?.FirstOrDefault(a => !Models.Algorithms.All.Contains(a)) is { } unknown)
            throw new UsageException($"unknown algorithm '{unknown}' ({string.Join(", ", Models.Algorithms.All)})");
        return new EvaluationOptions(
            InteractionSourceOptions.From(options),
            split,
            testFraction,
            options.OptionalDouble("test-days"),
            options.Int("k", 10),
            options.Bool("validation", false),
            algorithms,
            SettingsFrom(options, split, testFraction));
    }

    private static GeneratorSettings SettingsFrom(VerbOptions options, SplitKind split, double testFraction)
    {
        var defaults = new GeneratorSettings();
        return defaults with
        {
            Seed = options.Int("seed", defaults.Seed),
            Threads = options.Int("threads", defaults.Threads),
            HalfLifeDays = options.OptionalDouble("half-life-days"),
            Als = defaults.Als with
            {
                Factors = options.Int("factors", defaults.Als.Factors),
                Iterations = options.Int("iterations", defaults.Als.Iterations),
                Regularization = (float)options.Double("regularization", defaults.Als.Regularization),
                Alpha = (float)options.Double("alpha", defaults.Als.Alpha),
                LogEpsilon = (float?)options.OptionalDouble("log-epsilon"),
            },
            ItemItem = Neighbourhood(options, "item", defaults.ItemItem),
            UserUser = Neighbourhood(options, "user", defaults.UserUser),
            Ease = defaults.Ease with
            {
                Regularization = (float)options.Double("ease-regularization", defaults.Ease.Regularization),
                Neighbours = options.Int("ease-neighbours", defaults.Ease.Neighbours),
                BinaryInput = options.Bool("ease-binary", defaults.Ease.BinaryInput),
            },
            HybridSources = Sources(options.Text("sources")) ?? defaults.HybridSources,
            Hybrid = defaults.Hybrid with
            {
                // The ranker learns on the same kind of split it is judged by: the next days, or a random share.
                LabelSplit = split,
                LabelFraction = testFraction,
                LabelDays = options.Double("label-days", defaults.Hybrid.LabelDays),
                CandidatesPerGenerator = options.Int("candidates", defaults.Hybrid.CandidatesPerGenerator),
                NegativesPerUser = options.Int("negatives", defaults.Hybrid.NegativesPerUser),
                Trees = options.Int("trees", defaults.Hybrid.Trees),
                Leaves = options.Int("leaves", defaults.Hybrid.Leaves),
                LearningRate = options.Double("learning-rate", defaults.Hybrid.LearningRate),
                MinimumRowsPerLeaf = options.Int("min-leaf", defaults.Hybrid.MinimumRowsPerLeaf),
            },
        };
    }

    private static string[]? Sources(string? text)
    {
        var sources = text?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (sources?.FirstOrDefault(s => !Models.Algorithms.DefaultHybridSources.Contains(s)) is { } unknown)
            throw new UsageException($"--sources: '{unknown}' is not a candidate source ({string.Join(", ", Models.Algorithms.DefaultHybridSources)})");
        return sources is { Length: 0 } ? throw new UsageException("--sources needs at least one candidate source") : sources;
    }

    private static NeighbourhoodOptions Neighbourhood(VerbOptions options, string side, NeighbourhoodOptions defaults) => defaults with
    {
        Neighbours = options.Int($"{side}-neighbours", defaults.Neighbours),
        Shrinkage = (float)options.Double($"{side}-shrinkage", defaults.Shrinkage),
        BinarySimilarity = options.Bool($"{side}-binary", defaults.BinarySimilarity),
    };

    private static SplitKind ParseSplit(string text) => text switch
    {
        "temporal" => SplitKind.Temporal,
        "random-per-user" => SplitKind.RandomPerUser,
        "random" => SplitKind.Random,
        _ => throw new UsageException($"unknown split '{text}' (temporal, random-per-user or random)"),
    };
}
