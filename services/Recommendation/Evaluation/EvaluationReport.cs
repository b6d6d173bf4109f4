using Personalization.Recommendation.Interactions;
using Personalization.Recommendation.Models;
using Personalization.Recommendation.Ranking;

namespace Personalization.Recommendation.Evaluation;

/// <summary>Splits the data as asked, evaluates each algorithm and prints the data, the split and one table row per algorithm.</summary>
public static class EvaluationReport
{
    public static void Write(EvaluationOptions options, InteractionFile file, TextWriter output)
    {
        var data = DataSplit.Create(file.Interactions, options.Split, options.TestFraction, options.Settings.Seed, options.TestDays);
        // Tuning never looks at the test period: validation splits the training part again, the same way.
        if (options.Validation)
        {
            var inner = DataSplit.Create(data.Train, options.Split, options.TestFraction, options.Settings.Seed, options.TestDays);
            data = inner with { Description = $"validation inside the training part: {inner.Description}" };
        }
        var setup = EvaluationSetup.Prepare(data, options.Settings.Weighting, file.Items);
        var hasCatalogue = file.Items.Count > 0;
        // Content needs a catalogue; without one the hybrid goes without it.
        var algorithms = options.Algorithms ?? Algorithms.Applicable(Algorithms.All, hasCatalogue);
        var k = options.K;

        output.WriteLine($"{options.Source.Description}: {file.Interactions.Count:N0} interactions" +
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
            var generator = Algorithms.Create(name, options.Settings, hasCatalogue);
            EvaluationRow row;
            try
            {
                row = OfflineEvaluator.Evaluate(generator, setup, k, options.Settings.Threads);
            }
            catch (InvalidOperationException ex)
            {
                output.WriteLine($"| {name} | not trained: {ex.Message} | | | | | | |");
                continue;
            }
            output.WriteLine(FormattableString.Invariant(
                $"| {row.Algorithm} | {row.Precision:F4} | {row.Recall:F4} | {row.Ndcg:F4} | {row.Map:F4} | {row.Coverage:P1} | {row.TrainingTime.TotalSeconds:F2} s | ±{row.NdcgMargin:F4} |"));
            if (generator is HybridRecommender hybrid) notes.Add(
                $"hybrid: ranker trained on {hybrid.TrainingSet.Rows:N0} candidates ({hybrid.TrainingSet.Positives:N0} taken up) of {hybrid.TrainingSet.Users:N0} users" +
                string.Concat(hybrid.Skipped.Select(reason => $"; left out {reason}")));
        }
        foreach (var note in notes) output.WriteLine(note);
    }
}
