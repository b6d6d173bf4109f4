using Personalization.Ingestion.Backfill;

namespace Personalization.Ingestion.Tests.Backfill;

public class BackfillOptionsTests
{
    private static readonly string File = Path.GetTempFileName();

    private static string? ErrorOf(params string[] args) => BackfillOptions.Parse(args).Error;

    [Test]
    public void A_complete_command_line_is_read_with_defaults()
    {
        var options = BackfillOptions.Parse(["--format", "generic", "--file", File, "--url", "http://localhost:5100/ingest", "--write-key", "wk"]).Options!;

        Assert.Multiple(() =>
        {
            Assert.That(options.Format, Is.EqualTo(BackfillFormat.Generic));
            Assert.That(options.Url.ToString(), Is.EqualTo("http://localhost:5100/ingest/"));
            Assert.That(options.Checkpoint, Is.EqualTo(File + ".backfill-checkpoint"));
            Assert.That(options.BatchSize, Is.EqualTo(100));
            Assert.That(options.MaxRows, Is.Null);
        });
    }

    [Test]
    public void Mistakes_are_named()
    {
        string[] required = ["--file", File, "--url", "http://x", "--write-key", "wk"];
        Assert.Multiple(() =>
        {
            Assert.That(ErrorOf(required), Is.EqualTo("--format is required."));
            Assert.That(ErrorOf(["--format", "xlsx", .. required]), Does.StartWith("--format must be online-retail or generic"));
            Assert.That(ErrorOf(["--format", "generic", .. required, "--tenant", "t"]), Is.EqualTo("--admin-token and --tenant go together."));
            Assert.That(ErrorOf(["--format", "generic", .. required, "--batch-size", "5000"]), Does.StartWith("--batch-size must be 1 to 2500"));
            Assert.That(ErrorOf(["--format", "generic", .. required, "--speed", "fast"]), Is.EqualTo("--speed is not an option."));
            Assert.That(ErrorOf(["--format", "generic", "--file", "/no/such.csv", "--url", "http://x", "--write-key", "wk"]), Does.EndWith("does not exist."));
            Assert.That(ErrorOf(["--format", "generic", "--file", File, "--url", "ftp://x", "--write-key", "wk"]), Does.StartWith("--url must be an http(s) URL"));
        });
    }
}
