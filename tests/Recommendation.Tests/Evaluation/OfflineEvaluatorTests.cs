using Personalization.Recommendation.Models;
using Personalization.Recommendation.Candidates;
using Personalization.Recommendation.Evaluation;
using Personalization.Recommendation.Interactions;

namespace Personalization.Recommendation.Tests.Evaluation;

public class OfflineEvaluatorTests
{
    private static readonly DateTime Day = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static Interaction At(string user, string item, int day) => new(user, item, Day.AddDays(day));

    [Test]
    public void Relevant_items_are_new_test_items_of_users_known_in_training()
    {
        var split = new DataSplit(
            [At("ann", "a", 0), At("ann", "b", 0), At("bob", "a", 0), At("eve", "c", 0)],
            [At("ann", "a", 1), At("ann", "c", 1), At("ann", "new", 1), At("bob", "a", 1), At("zed", "a", 1)],
            "hand-made");
        var setup = EvaluationSetup.Prepare(split, new InteractionWeighting());

        Assert.Multiple(() =>
        {
            Assert.That(setup.Users, Is.EqualTo(new[] { setup.Train.UserIndex("ann") }), "bob only repeats, zed is new");
            Assert.That(setup.Relevant[0], Has.Count.EqualTo(2), "c, and an item unseen in training");
            Assert.That(setup.Relevant[0], Does.Contain(setup.Train.ItemIndex("c")));
            Assert.That(setup.ColdUsers, Is.EqualTo(1));
            Assert.That(setup.RepeatOnlyUsers, Is.EqualTo(1));
            Assert.That(setup.UnknownTestItems, Is.EqualTo(1));
        });
    }

    [Test]
    public void Evaluation_excludes_training_items_and_averages_over_users()
    {
        // Popularity (a: 3, b: 2, c: 1, d: 1). ann has a: gets b, c. bob has a, b: gets c, d.
        var split = new DataSplit(
            [At("ann", "a", 0), At("bob", "a", 0), At("bob", "b", 0), At("cid", "a", 0), At("cid", "b", 0), At("cid", "c", 0), At("dan", "d", 0)],
            [At("ann", "b", 1), At("bob", "d", 1)],
            "hand-made");
        var setup = EvaluationSetup.Prepare(split, new InteractionWeighting());
        var row = OfflineEvaluator.Evaluate(new Popularity(), setup, 2, 2);

        Assert.Multiple(() =>
        {
            Assert.That(row.Algorithm, Is.EqualTo("popularity"));
            Assert.That(row.Precision, Is.EqualTo((0.5 + 0.5) / 2).Within(1e-12));
            Assert.That(row.Recall, Is.EqualTo(1.0).Within(1e-12));
            Assert.That(row.Ndcg, Is.EqualTo((1 + 1 / Math.Log2(3)) / 2).Within(1e-12));
            Assert.That(row.Map, Is.EqualTo((1 + 0.5) / 2).Within(1e-12));
            Assert.That(row.Coverage, Is.EqualTo(3 / 4.0).Within(1e-12), "b, c, d of a, b, c, d");
        });
    }

    [Test]
    public async Task Evaluate_verb_prints_one_row_per_algorithm()
    {
        var path = Path.Combine(Path.GetTempPath(), $"interactions-{Guid.NewGuid():N}.csv");
        var random = new Random(3);
        var lines = new List<string> { "user,item,timestamp,country" };
        for (var user = 0; user < 60; user++)
            for (var n = 0; n < 12; n++)
                lines.Add($"u{user},i{(user % 3) * 10 + random.Next(10)},{1_700_000_000 + n * 10 * 86_400 + user},{(user % 2 == 0 ? "UK" : "FR")}");
        File.WriteAllLines(path, lines);
        try
        {
            var output = new StringWriter();
            var exit = await EvaluateCommand.RunAsync(["--interactions", path, "--split", "random-per-user", "--seed", "1", "--k", "5", "--factors", "4", "--iterations", "3"], output, CancellationToken.None);
            var text = output.ToString();
            Assert.That(exit, Is.EqualTo(0), text);
            foreach (var algorithm in Algorithms.All.Where(a => a != "content"))
                Assert.That(text, Does.Contain($"| {algorithm} | 0."));
            Assert.That(text, Does.Not.Contain("| content |"), "no catalogue, no content-based row");
            Assert.That(text, Does.Contain("| algorithm | precision@5 | recall@5 | NDCG@5 | MAP@5 | coverage | training time | NDCG 95% CI |"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task A_hybrid_that_cannot_learn_from_the_history_is_reported_not_trained()
    {
        var path = Path.Combine(Path.GetTempPath(), $"interactions-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, Enumerable.Range(0, 40).Select(n => $"u{n % 8},i{n % 5},{1_700_000_000 + n}"));
        try
        {
            var output = new StringWriter();
            var exit = await EvaluateCommand.RunAsync(["--interactions", path, "--split", "random", "--algorithms", "popularity,hybrid"], output, CancellationToken.None);
            Assert.That(exit, Is.EqualTo(0), output.ToString());
            Assert.That(output.ToString(), Does.Contain("| hybrid | not trained: the ranker needs history"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task Movielens_protocol_is_a_random_quarter_with_seed_42_at_k_10()
    {
        var path = Path.Combine(Path.GetTempPath(), $"u-{Guid.NewGuid():N}.data");
        var random = new Random(5);
        File.WriteAllLines(path, Enumerable.Range(0, 400).Select(n => $"{n % 20}\t{random.Next(30)}\t{1 + random.Next(5)}\t{880_000_000 + n}"));
        try
        {
            var output = new StringWriter();
            var exit = await EvaluateCommand.RunAsync(["--interactions", path, "--protocol", "movielens", "--columns", "user,item,rating,timestamp", "--algorithms", "popularity"], output, CancellationToken.None);
            Assert.That(exit, Is.EqualTo(0), output.ToString());
            Assert.That(output.ToString(), Does.Contain("random, 25% of all interactions to test, seed 42").And.Contain("precision@10"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestCase("--interactions")]
    [TestCase("--k", "10")]
    [TestCase("--interactions", "/nonexistent/file.csv")]
    [TestCase("--interactions", "x.csv", "--format", "parquet")]
    public async Task Bad_arguments_print_the_problem_and_the_usage(params string[] args)
    {
        var output = new StringWriter();
        Assert.That(await EvaluateCommand.RunAsync(args, output, CancellationToken.None), Is.EqualTo(2));
        Assert.That(output.ToString(), Does.Contain("usage: evaluate"));
    }
}
