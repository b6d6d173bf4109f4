using Personalization.Recommendation.Interactions;
using Personalization.ServiceDefaults;

namespace Personalization.Recommendation.Evaluation;

/// <summary>
/// <c>Personalization.Recommendation evaluate --interactions FILE | --event-log TENANT [options]</c> (every option is
/// in services/Recommendation/README.md): trains each generator on the split's training part and prints one table
/// row per generator. With <c>--validation true</c> the test part is dropped and the training part is split again
/// the same way, for choosing settings without looking at the test period.
/// </summary>
public static class EvaluateCommand
{
    public const string Verb = "evaluate";

    private static readonly string Usage =
        "usage: evaluate --interactions FILE | --event-log TENANT [--format generic|online-retail] [--columns user,item,rating,timestamp] " +
        "[--split temporal|random-per-user|random] [--test-fraction 0.25] [--test-days N] [--protocol movielens] [--seed 42] [--k 10] " +
        "[--algorithms a,b] [--validation true] [--half-life-days N] [--threads N] and the algorithms' settings " +
        $"(services/Recommendation/README.md): {string.Join(", ", EvaluationOptions.AlgorithmSettings.Select(n => "--" + n))}";

    public static Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken) =>
        CommandLineVerb.RunAsync(args, Usage, output, async () =>
        {
            var options = EvaluationOptions.From(VerbOptions.Parse(args, EvaluationOptions.Names));
            var file = await options.Source.ReadAsync(output, cancellationToken);
            EvaluationReport.Write(options, file, output);
            return 0;
        });
}
