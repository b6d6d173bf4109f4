using Personalization.Recommendation.Evaluation;

namespace Personalization.Recommendation.Tests.Evaluation;

/// <summary>The verb's command line, read the one way every verb of the suite reads it.</summary>
public class EvaluateCommandTests
{
    private static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var exit = await EvaluateCommand.RunAsync(args, output, CancellationToken.None);
        return (exit, output.ToString());
    }

    [TestCase(new[] { "--interactions", "x.csv", "--neighbours", "5" }, "unknown option --neighbours")]
    [TestCase(new[] { "--interactions", "x.csv", "--k", "ten" }, "--k must be a whole number, not 'ten'")]
    [TestCase(new[] { "--interactions", "x.csv", "--k" }, "--k needs a value")]
    [TestCase(new[] { "--interactions", "x.csv", "--seed", "1", "--seed", "2" }, "--seed is given twice")]
    [TestCase(new[] { "interactions", "x.csv" }, "expected --name value, not 'interactions'")]
    [TestCase(new[] { "--k", "5" }, "give either --interactions FILE or --event-log TENANT")]
    [TestCase(new[] { "--interactions", "x.csv", "--algorithms", "als,magic" }, "unknown algorithm 'magic'")]
    [TestCase(new[] { "--interactions", "x.csv", "--item-binary", "yes" }, "--item-binary must be true or false, not 'yes'")]
    [TestCase(new[] { "--interactions", "/nonexistent/x.csv" }, "/nonexistent/x.csv: ")]
    public async Task A_bad_command_line_exits_with_2_and_says_what_was_wrong(string[] args, string message)
    {
        var (exit, output) = await RunAsync(args);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(output, Does.Contain(message).And.Contain("usage: evaluate"));
    }

    [Test]
    public async Task Help_prints_the_usage_and_succeeds()
    {
        var (exit, output) = await RunAsync("--help");
        Assert.That(exit, Is.Zero);
        Assert.That(output, Does.StartWith("usage: evaluate").And.Contain("--ease-regularization"));
    }
}
