using Personalization.Recommendation.Attribution;
using Personalization.Recommendation.Experiments;

namespace Personalization.Recommendation.Tests.Experiments;

public class ExperimentResultsTests
{
    private static Experiment Running(double expectedEffect = 0.2) => new("exp", new ExperimentDefinition("homepage", null,
        [new Variant("control", 1), new Variant("v7", 1), new Variant("holdout", 1, PopularityOnly: true)], "control", expectedEffect),
        ExperimentState.Running, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    [Test]
    public void Each_variant_is_compared_with_the_control_by_the_same_tests()
    {
        var results = ExperimentResults.Of(Running(), new Dictionary<string, long> { ["control"] = 1000, ["v7"] = 1000 },
        [
            new VariantFigures("control", 1000, 100, 50, 2500, 250_000),
            new VariantFigures("v7", 1000, 130, 60, 3000, 300_000),
        ]);

        var v7 = results.Variants.Single(v => v.Name == "v7");
        Assert.That(v7.Ctr, Is.EqualTo(0.13));
        Assert.That(v7.Conversion, Is.EqualTo(0.06));
        Assert.That(v7.RevenuePerPerson, Is.EqualTo(3.0));
        Assert.That(v7.CtrVersusControl!.PValue, Is.EqualTo(Significance.Proportions(100, 1000, 130, 1000).PValue));
        Assert.That(v7.ConversionVersusControl!.Difference, Is.EqualTo(0.01).Within(1e-12));
        Assert.That(v7.RevenueVersusControl!.Difference, Is.EqualTo(0.5).Within(1e-12));
        Assert.That(results.Variants.Single(v => v.Control).CtrVersusControl, Is.Null);
        Assert.That(results.Variants.Single(v => v.Name == "holdout").People, Is.Zero, "a variant nobody is in yet");
    }

    [Test]
    public void Below_the_sample_the_expected_effect_needs_the_results_say_not_enough_data()
    {
        var results = ExperimentResults.Of(Running(), new Dictionary<string, long>(),
            [new VariantFigures("control", 1000, 100, 0, 0, 0), new VariantFigures("v7", 5000, 600, 0, 0, 0), new VariantFigures("holdout", 5000, 500, 0, 0, 0)]);

        Assert.That(results.Enough, Is.False);
        Assert.That(results.ImpressionsNeededPerVariant, Is.EqualTo(3841), "a 10% CTR and a +20% effect need 3841 per variant");
        Assert.That(results.Verdict, Does.StartWith("not enough data").And.Contain("control"));
    }

    [Test]
    public void With_the_sample_reached_the_verdict_names_the_significant_variants()
    {
        var results = ExperimentResults.Of(Running(), new Dictionary<string, long>(),
        [
            new VariantFigures("control", 4000, 400, 0, 0, 0),
            new VariantFigures("v7", 4000, 520, 0, 0, 0),
            new VariantFigures("holdout", 4000, 410, 0, 0, 0),
        ]);

        Assert.That(results.Enough, Is.True);
        Assert.That(results.Verdict, Does.Contain("v7: CTR higher").And.Not.Contain("holdout"));
    }

    [Test]
    public void Without_clicks_on_the_control_no_sample_can_be_worked_out()
    {
        var results = ExperimentResults.Of(Running(), new Dictionary<string, long>(), []);

        Assert.That(results.Enough, Is.False);
        Assert.That(results.ImpressionsNeededPerVariant, Is.Null);
        Assert.That(results.Verdict, Does.StartWith("not enough data"));
    }
}
