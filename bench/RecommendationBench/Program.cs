using System.Diagnostics;
using Personalization.Recommendation.Candidates;
using Personalization.Recommendation.Interactions;
using Personalization.Recommendation.Models;

// Training and scoring times of the recommendation models on this machine. Run by hand, in Release:
//   dotnet run -c Release --project bench/RecommendationBench -- [FILE=../shared/data/online-retail.csv.gz] [--threads 2] [--runs 3]
// 1. implicit ALS on all of Online Retail (64 factors, 15 iterations), 2. item-item CF on the same matrix, 3. EASE,
// 4. the hybrid's whole Fit, 5. one user's top 10 over 100k synthetic items x 64 factors, timed per query (p50, p99).
var positional = args.Where((a, n) => !a.StartsWith("--", StringComparison.Ordinal) && (n == 0 || !args[n - 1].StartsWith("--", StringComparison.Ordinal))).ToArray();
var file = positional.FirstOrDefault() ?? Path.Combine("..", "shared", "data", "online-retail.csv.gz");
var threads = Named("--threads") ?? 2;
var runs = Named("--runs") ?? 3;

Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}; {Environment.ProcessorCount} cores; {threads} threads");
if (File.Exists(file))
{
    var read = Stopwatch.StartNew();
    var retail = OnlineRetailReader.ReadFile(file);
    var interactions = retail.Interactions;
    var weighting = new InteractionWeighting { HalfLifeDays = 15 };
    var data = TrainingData.Build(interactions, weighting, retail.Items);
    var matrix = data.Matrix;
    var settings = new GeneratorSettings { HalfLifeDays = 15, Threads = threads };
    Console.WriteLine($"{file}: {interactions.Count:N0} purchases -> {matrix.UserCount:N0} users x {matrix.ItemCount:N0} items, {matrix.NonZeroCount:N0} non-zero (read in {read.Elapsed.TotalSeconds:F1} s)");

    Time("implicit ALS, 64 factors, 15 iterations, 3 CG steps", () => Algorithms.Create(Algorithms.Als, settings, true).Fit(data));
    Time($"item-item CF, shrunk cosine, {settings.ItemItem.Neighbours} neighbours (the evaluated setting)", () =>
        Algorithms.Create(Algorithms.ItemItem, settings, true).Fit(data));
    Time("item-item CF, shrunk cosine, 100 neighbours", () =>
        Algorithms.Create(Algorithms.ItemItem, settings with { ItemItem = settings.ItemItem with { Neighbours = 100 } }, true).Fit(data));
    Time($"EASE, λ = {settings.Ease.Regularization}, {settings.Ease.Neighbours} weights kept per item", () => Algorithms.Create(Algorithms.Ease, settings, true).Fit(data));
    Time("hybrid: every generator twice + LightGBM LambdaRank", () => Algorithms.Create(Algorithms.Hybrid, settings, true).Fit(data));
}
else
    Console.WriteLine($"{file} not found: training benchmarks skipped");

ScoreSynthetic(items: 100_000, factors: 64, queries: 2_000);
return 0;

void Time(string name, Action fit)
{
    fit(); // warm-up: JIT and tiered compilation
    var seconds = new double[runs];
    for (var run = 0; run < runs; run++)
    {
        var clock = Stopwatch.StartNew();
        fit();
        seconds[run] = clock.Elapsed.TotalSeconds;
    }
    Array.Sort(seconds);
    Console.WriteLine($"{name}: median {seconds[runs / 2]:F2} s, min {seconds[0]:F2} s, max {seconds[^1]:F2} s over {runs} runs");
}

static void ScoreSynthetic(int items, int factors, int queries)
{
    var random = new Random(42);
    var itemFactors = new float[items * factors];
    for (var n = 0; n < itemFactors.Length; n++) itemFactors[n] = random.NextSingle() - 0.5f;
    var users = new float[queries * factors];
    for (var n = 0; n < users.Length; n++) users[n] = random.NextSingle() - 0.5f;
    // A user's own items (here 50 random ones) are excluded, as in serving.
    var exclude = Enumerable.Range(0, 50).Select(_ => random.Next(items)).ToArray();

    for (var q = 0; q < 200; q++) ImplicitAls.TopItems(itemFactors, factors, users.AsSpan(q % queries * factors, factors), 10, exclude);
    var milliseconds = new double[queries];
    for (var q = 0; q < queries; q++)
    {
        var start = Stopwatch.GetTimestamp();
        ImplicitAls.TopItems(itemFactors, factors, users.AsSpan(q * factors, factors), 10, exclude);
        milliseconds[q] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
    Array.Sort(milliseconds);
    Console.WriteLine($"top 10 of {items:N0} items x {factors} factors, one user, one thread: p50 {Percentile(0.50):F3} ms, p99 {Percentile(0.99):F3} ms, max {milliseconds[^1]:F3} ms over {queries:N0} queries");

    double Percentile(double p) => milliseconds[Math.Min(queries - 1, (int)Math.Ceiling(p * queries) - 1)];
}

int? Named(string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1]) : null;
}
