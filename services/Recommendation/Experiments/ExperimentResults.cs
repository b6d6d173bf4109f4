using Personalization.Recommendation.Attribution;

namespace Personalization.Recommendation.Experiments;

/// <summary>A variant's figures and, for all but the control, how they differ from the control's.</summary>
public sealed record VariantResult(
    string Name, bool Control, long People, long Impressions, double Ctr, double Conversion, double RevenuePerPerson,
    Comparison? CtrVersusControl, Comparison? ConversionVersusControl, Comparison? RevenueVersusControl);

/// <summary>
/// An experiment's results: per variant its people, impressions, CTR (share of responses viewed that were clicked),
/// conversion (share of its people with an attributed purchase) and revenue per person, each compared with the
/// control (z-tests for the rates, Welch's t-test for revenue). <see cref="Enough"/> is false, and
/// <see cref="Verdict"/> says "not enough data", until every variant has the impressions needed to detect the
/// expected effect on the control's CTR at power 0.8.
/// </summary>
public sealed record ExperimentResults(string Experiment, ExperimentState State, bool Enough, long? ImpressionsNeededPerVariant, string Verdict,
    IReadOnlyList<VariantResult> Variants)
{
    public static ExperimentResults Of(Experiment experiment, IReadOnlyDictionary<string, long> people, IReadOnlyList<VariantFigures> figures)
    {
        var definition = experiment.Definition;
        VariantFigures FiguresOf(string name) => figures.FirstOrDefault(f => f.Variant == name) ?? new VariantFigures(name, 0, 0, 0, 0, 0);
        long PeopleOf(string name) => Math.Max(people.GetValueOrDefault(name), FiguresOf(name).Converters);
        var control = FiguresOf(definition.Control);
        var controlPeople = PeopleOf(definition.Control);

        var results = definition.Variants.Select(variant =>
        {
            var f = FiguresOf(variant.Name);
            var n = PeopleOf(variant.Name);
            var isControl = variant.Name == definition.Control;
            return new VariantResult(variant.Name, isControl, n, f.Impressions, Rate(f.ClickedImpressions, f.Impressions), Rate(f.Converters, n),
                n == 0 ? 0 : f.Revenue / n,
                isControl || f.Impressions == 0 || control.Impressions == 0 ? null
                    : Significance.Proportions(control.ClickedImpressions, control.Impressions, f.ClickedImpressions, f.Impressions),
                isControl || n == 0 || controlPeople == 0 ? null : Significance.Proportions(control.Converters, controlPeople, f.Converters, n),
                isControl || n < 2 || controlPeople < 2 ? null
                    : Significance.Means(Moments.FromSums(controlPeople, control.Revenue, control.RevenueSquares), Moments.FromSums(n, f.Revenue, f.RevenueSquares)));
        }).ToList();

        var controlCtr = Rate(control.ClickedImpressions, control.Impressions);
        long? needed = null;
        if (controlCtr is > 0 and < 1 && controlCtr * (1 + definition.ExpectedEffect) < 1)
            needed = SampleSize.ForProportions(controlCtr, definition.ExpectedEffect);
        var lacking = results.Where(r => needed is null || r.Impressions < needed).Select(r => r.Name).ToList();
        var enough = needed is not null && lacking.Count == 0;
        var verdict = enough
            ? Significant(results)
            : needed is null
                ? "not enough data: the control has no clicked impressions yet, so the sample needed cannot be worked out"
                : $"not enough data: each variant needs {needed} impressions to detect a {definition.ExpectedEffect:P0} change in CTR from the control's {controlCtr:P2} at power 0.8; short: {string.Join(", ", lacking)}";
        return new ExperimentResults(experiment.Id, experiment.State, enough, needed, verdict, results);
    }

    private static string Significant(IReadOnlyList<VariantResult> results)
    {
        var significant = results.Where(r => r.CtrVersusControl is { Significant: true }).ToList();
        return significant.Count == 0
            ? "no variant's CTR differs significantly from the control's (p < 0.05)"
            : string.Join("; ", significant.Select(r => $"{r.Name}: CTR {(r.CtrVersusControl!.Difference > 0 ? "higher" : "lower")} than the control's (p = {r.CtrVersusControl.PValue:0.####})"));
    }

    private static double Rate(long part, long whole) => whole == 0 ? 0 : (double)part / whole;
}
