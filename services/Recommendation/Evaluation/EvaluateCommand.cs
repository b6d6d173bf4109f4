using System.Globalization;
using Personalization.Recommendation.Candidates;
using Personalization.Recommendation.Interactions;
using Personalization.Recommendation.Ranking;

namespace Personalization.Recommendation.Evaluation;

/// <summary>
/// <c>Personalization.Recommendation evaluate --interactions FILE [--format generic|online-retail]
/// [--split temporal|random-per-user|random] [--test-fraction 0.25] [--test-days N] [--seed 42] [--k 10] ...</c>
/// (every option is in services/Recommendation/README.md): trains each generator on the split's training part and
/// prints one table row per generator. With <c>--validation true</c> the test part is dropped and the training part
/// is split again the same way, for choosing settings without looking at the test period.
/// </summary>
public static class EvaluateCommand
{
    public const string Verb = "evaluate";

    public static readonly string[] AllAlgorithms = ["popularity", "popularity-by-context", "item-item", "user-user", "als", "content", "hybrid"];

    /// <summary>What a generator may be built from: the options, the training history and the catalogue.</summary>
    public sealed record Context(IReadOnlyDictionary<string, string> Options, int Seed, int Threads, InteractionWeighting Weighting,
        IReadOnlyList<Interaction> History, IReadOnlyDictionary<string, ItemContent> Catalogue, SplitKind Split = SplitKind.Temporal, double TestFraction = 0.25);

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        try
        {
            var options = ParseOptions(args);
            return Evaluate(options, await ReadAsync(options, output, cancellationToken), output);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or IOException or InvalidOperationException)
        {
            output.WriteLine(ex.Message);
            output.WriteLine(Usage);
            return 2;
        }
    }

    /// <summary>The data: a file (<c>--interactions</c>) or a tenant's event log (<c>--event-log TENANT</c>).</summary>
    private static async Task<(string Source, InteractionFile File)> ReadAsync(Dictionary<string, string> options, TextWriter output, CancellationToken cancellationToken)
    {
        if (options.TryGetValue("event-log", out var tenant))
            return ($"event log of tenant {tenant}", await EventLogSource.ReadAsync(tenant, output, cancellationToken));
        if (!options.TryGetValue("interactions", out var path))
            throw new ArgumentException("--interactions FILE or --event-log TENANT is required");
        return (path, options.GetValueOrDefault("format", "generic") switch
        {
            "online-retail" => OnlineRetailReader.ReadFile(path),
            "generic" => new GenericCsvReader { Columns = options.TryGetValue("columns", out var columns) ? columns.Split(',') : null }.ReadFile(path),
            var format => throw new ArgumentException($"unknown format '{format}' (generic or online-retail)"),
        });
    }

    private static int Evaluate(Dictionary<string, string> options, (string Source, InteractionFile File) input, TextWriter output)
    {
        var (path, file) = input;

        // Microsoft Recommenders' movielens table: random 75/25 over all interactions, seed 42, k = 10.
        var movielens = options.GetValueOrDefault("protocol") == "movielens";
        var split = ParseSplit(options.GetValueOrDefault("split", movielens ? "random" : "temporal"));
        var testFraction = Double(options, "test-fraction", 0.25);
        double? testDays = options.ContainsKey("test-days") ? Double(options, "test-days", 30) : null;
        var seed = Int(options, "seed", 42);
        var k = Int(options, "k", 10);
        var threads = Int(options, "threads", Environment.ProcessorCount);
        var algorithms = options.TryGetValue("algorithms", out var names) ? names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : null;
        var weighting = new InteractionWeighting
        {
            HalfLifeDays = options.ContainsKey("half-life-days") ? Double(options, "half-life-days", 0) : null,
        };

        var data = DataSplit.Create(file.Interactions, split, testFraction, seed, testDays);
        // Tuning never looks at the test period: --validation splits the training part again, the same way.
        if (options.GetValueOrDefault("validation") == "true")
        {
            var inner = DataSplit.Create(data.Train, split, testFraction, seed, testDays);
            data = inner with { Description = $"validation inside the training part: {inner.Description}" };
        }
        var setup = EvaluationSetup.Prepare(data, weighting, file.Items.Keys);
        // Content needs a catalogue; without one the hybrid goes without it.
        algorithms ??= file.Items.Count > 0 ? AllAlgorithms : AllAlgorithms.Where(a => a != "content").ToArray();
        var context = new Context(options, seed, threads, weighting, data.Train, file.Items, split, testFraction);

        output.WriteLine($"{path}: {file.Interactions.Count:N0} interactions" +
            (file.Skipped.Count == 0 ? "" : $" (skipped: {string.Join(", ", file.Skipped.Select(s => $"{s.Key} {s.Value:N0}"))})"));
        output.WriteLine($"split: {data.Description}; train {data.Train.Count:N0}, test {data.Test.Count:N0}");
        output.WriteLine($"training matrix: {setup.Train.UserCount:N0} users x {setup.Train.ItemCount:N0} items, {setup.Train.NonZeroCount:N0} non-zero");
        output.WriteLine($"evaluated users: {setup.Users.Length:N0} (not evaluated: {setup.ColdUsers:N0} new in test, {setup.RepeatOnlyUsers:N0} with only repeats of training items); " +
            $"{setup.UnknownTestItems:N0} test items unseen in training");
        output.WriteLine();
        output.WriteLine($"| algorithm | precision@{k} | recall@{k} | NDCG@{k} | MAP@{k} | coverage | training time | NDCG 95% CI |");
        output.WriteLine("|---|---|---|---|---|---|---|---|");
        var notes = new List<string>();
        foreach (var name in algorithms)
        {
            var generator = Create(name, context);
            EvaluationRow row;
            try
            {
                row = OfflineEvaluator.Evaluate(generator, setup, k, threads);
            }
            catch (InvalidOperationException ex)
            {
                output.WriteLine($"| {name} | not trained: {ex.Message} | | | | | | |");
                continue;
            }
            output.WriteLine(FormattableString.Invariant(
                $"| {row.Algorithm} | {row.Precision:F4} | {row.Recall:F4} | {row.Ndcg:F4} | {row.Map:F4} | {row.Coverage:P1} | {row.TrainingTime.TotalSeconds:F2} s | ±{row.NdcgMargin:F4} |"));
            if (generator is HybridRecommender hybrid) notes.Add(
                $"hybrid: ranker trained on {hybrid.TrainingSet.Rows:N0} candidates ({hybrid.TrainingSet.Positives:N0} taken up) of {hybrid.TrainingSet.Users:N0} users");
        }
        foreach (var note in notes) output.WriteLine(note);
        return 0;
    }

    public static ICandidateGenerator Create(string name, Context context)
    {
        var (options, seed, threads) = (context.Options, context.Seed, context.Threads);
        return name switch
        {
        "popularity" => new Popularity(),
        "popularity-by-context" => new ContextPopularity(),
        "item-item" => new ItemItemCf(new ItemItemCf.Options
        {
            Neighbours = Int(options, "item-neighbours", ItemItemCf.Options.Default.Neighbours),
            Shrinkage = (float)Double(options, "item-shrinkage", ItemItemCf.Options.Default.Shrinkage),
            BinarySimilarity = Bool(options, "item-binary", ItemItemCf.Options.Default.BinarySimilarity),
            MaxDegreeOfParallelism = threads,
        }),
        "user-user" => new UserUserCf(new UserUserCf.Options
        {
            Neighbours = Int(options, "user-neighbours", UserUserCf.Options.Default.Neighbours),
            Shrinkage = (float)Double(options, "user-shrinkage", UserUserCf.Options.Default.Shrinkage),
            BinarySimilarity = Bool(options, "user-binary", UserUserCf.Options.Default.BinarySimilarity),
        }),
        "als" => new ImplicitAls(new ImplicitAls.Options
        {
            Factors = Int(options, "factors", ImplicitAls.Options.Default.Factors),
            Iterations = Int(options, "iterations", ImplicitAls.Options.Default.Iterations),
            Regularization = (float)Double(options, "regularization", ImplicitAls.Options.Default.Regularization),
            Alpha = (float)Double(options, "alpha", ImplicitAls.Options.Default.Alpha),
            LogEpsilon = options.ContainsKey("log-epsilon") ? (float)Double(options, "log-epsilon", 1) : null,
            Seed = seed,
            MaxDegreeOfParallelism = threads,
        }),
        "content" => ContentBased.FromCatalogue(context.Catalogue, seed),
        "hybrid" => new HybridRecommender(context.History,
            () => [.. AllAlgorithms.Where(a => a != "hybrid" && (a != "content" || context.Catalogue.Count > 0)).Select(a => Create(a, context))],
            context.Catalogue,
            new HybridRecommender.Options
            {
                Weighting = context.Weighting,
                Seed = seed,
                Threads = threads,
                LabelDays = Double(options, "label-days", HybridRecommender.Options.Default.LabelDays),
                // The ranker learns on the same kind of split it is judged by: the next days, or a random share.
                LabelSplit = context.Split,
                LabelFraction = context.TestFraction,
                CandidatesPerGenerator = Int(options, "candidates", HybridRecommender.Options.Default.CandidatesPerGenerator),
                Trees = Int(options, "trees", HybridRecommender.Options.Default.Trees),
                Leaves = Int(options, "leaves", HybridRecommender.Options.Default.Leaves),
                LearningRate = Double(options, "learning-rate", HybridRecommender.Options.Default.LearningRate),
                MinimumRowsPerLeaf = Int(options, "min-leaf", HybridRecommender.Options.Default.MinimumRowsPerLeaf),
                NegativesPerUser = Int(options, "negatives", HybridRecommender.Options.Default.NegativesPerUser),
            }),
        _ => throw new ArgumentException($"unknown algorithm '{name}' ({string.Join(", ", AllAlgorithms)})"),
        };
    }

    private const string Usage =
        "usage: evaluate --interactions FILE | --event-log TENANT [--format generic|online-retail] [--split temporal|random-per-user|random] " +
        "[--test-fraction 0.25] [--test-days N] [--seed 42] [--k 10] [--protocol movielens] [--algorithms a,b] [--columns user,item,rating,timestamp] " +
        "[--half-life-days N] [--factors 64] [--iterations 15] [--regularization 0.1] [--alpha 1] [--log-epsilon E] " +
        "[--item-neighbours 10] [--item-shrinkage 10] [--item-binary true] [--user-neighbours 200] [--user-shrinkage 0] [--user-binary false] " +
        "[--label-days 30] [--candidates 100] [--trees 200] [--leaves 7] [--learning-rate 0.03] [--min-leaf 200] [--negatives 50] [--threads N] [--validation true]";

    public static Dictionary<string, string> ParseOptions(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var n = 0; n < args.Length; n += 2)
        {
            if (!args[n].StartsWith("--", StringComparison.Ordinal) || n + 1 >= args.Length)
                throw new ArgumentException($"expected --name value at '{args[n]}'");
            options[args[n][2..]] = args[n + 1];
        }
        return options;
    }

    private static SplitKind ParseSplit(string text) => text switch
    {
        "temporal" => SplitKind.Temporal,
        "random-per-user" => SplitKind.RandomPerUser,
        "random" => SplitKind.Random,
        _ => throw new ArgumentException($"unknown split '{text}' (temporal, random-per-user or random)"),
    };

    private static int Int(IReadOnlyDictionary<string, string> options, string name, int fallback) =>
        options.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static bool Bool(IReadOnlyDictionary<string, string> options, string name, bool fallback) =>
        options.TryGetValue(name, out var text) ? bool.Parse(text) : fallback;

    private static double Double(IReadOnlyDictionary<string, string> options, string name, double fallback) =>
        options.TryGetValue(name, out var text) ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
