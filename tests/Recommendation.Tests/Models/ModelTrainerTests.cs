using Personalization.Recommendation.Candidates;
using Personalization.Recommendation.Interactions;
using Personalization.Recommendation.Models;
using Personalization.Recommendation.Ranking;
using Personalization.Recommendation.Tests.Ranking;

namespace Personalization.Recommendation.Tests.Models;

public class ModelTrainerTests
{
    private static readonly TrainingOptions Small = new()
    {
        Settings = new GeneratorSettings
        {
            Threads = 2,
            Als = ImplicitAls.Options.Default with { Factors = 8, Iterations = 5 },
            Hybrid = HybridRecommender.Options.Default with { LabelDays = 20, CandidatesPerGenerator = 20, Trees = 30, Leaves = 4, MinimumRowsPerLeaf = 10 },
        },
        HoldOutDays = 20,
    };

    [Test]
    public void A_run_judges_the_model_on_the_held_out_end_and_fits_it_on_everything()
    {
        var history = HybridRecommenderTests.GroupedHistory();
        var outcome = ModelTrainer.Train(new InteractionFile(history, new Dictionary<string, int>()), Small);

        Assert.That(outcome.Model.Algorithm, Is.EqualTo(Algorithms.Hybrid));
        Assert.That(outcome.PassedOver, Is.Empty);
        Assert.That(outcome.Summary.Interactions, Is.EqualTo(history.Count));
        Assert.That(outcome.Summary.DataTo!.Value.UtcDateTime, Is.EqualTo(history.Max(x => x.Timestamp)));
        Assert.That(outcome.Summary.Metrics[ModelTrainer.Ndcg], Is.InRange(0.05, 1.0));
        Assert.That(outcome.Summary.Metrics[ModelTrainer.NdcgMargin], Is.GreaterThan(0));
        Assert.That(outcome.Model.Data.Matrix.UserCount, Is.EqualTo(history.Select(x => x.User).Distinct().Count()), "the served model saw all users");
    }

    [Test]
    public void Too_little_data_for_the_ranker_passes_on_to_the_next_algorithm_and_says_why()
    {
        var day = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        var small = Enumerable.Range(0, 60).Select(n => new Interaction($"u{n % 12}", $"sku-{n % 5}", day.AddHours(n))).ToList();

        var outcome = ModelTrainer.Train(new InteractionFile(small, new Dictionary<string, int>()), Small);

        Assert.That(outcome.Model.Algorithm, Is.EqualTo(Algorithms.Ease));
        Assert.That(outcome.PassedOver, Has.One.StartsWith("hybrid: the ranker needs"));
        Assert.Throws<InvalidOperationException>(() => ModelTrainer.Train(new InteractionFile([], new Dictionary<string, int>()), Small));
    }

    [TestCase(0.30, 0.32, 0.01, ExpectedResult = false)]
    [TestCase(0.315, 0.32, 0.01, ExpectedResult = true)]
    [TestCase(0.40, 0.32, 0.01, ExpectedResult = true)]
    public bool A_new_version_replaces_the_active_one_unless_worse_beyond_its_interval(double ndcg, double activeNdcg, double activeMargin)
    {
        ModelSummary Summary(double value, double margin) => new(null, null, 1, 1, 1,
            new Dictionary<string, double> { [ModelTrainer.Ndcg] = value, [ModelTrainer.NdcgMargin] = margin });
        return AutoActivation.Replaces(Summary(ndcg, 0.01), Summary(activeNdcg, activeMargin));
    }

    [Test]
    public void The_first_version_is_activated_and_one_without_metrics_waits_for_a_person()
    {
        var judged = new ModelSummary(null, null, 1, 1, 1, new Dictionary<string, double> { [ModelTrainer.Ndcg] = 0.2 });
        var unjudged = new ModelSummary(null, null, 1, 1, 1, new Dictionary<string, double>());
        Assert.That(AutoActivation.Replaces(unjudged, null), Is.True);
        Assert.That(AutoActivation.Replaces(unjudged, judged), Is.False);
    }
}
