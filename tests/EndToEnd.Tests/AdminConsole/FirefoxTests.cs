using System.Text.Json;
using Personalization.TestSupport;

namespace Personalization.EndToEnd.Tests.AdminConsole;

/// <summary>
/// The console in Debian's Firefox ESR, driven over WebDriver BiDi by puppeteer-core (firefox/console-in-firefox.mjs):
/// every page shows, and the live debugger streams an event sent while it is open.
/// </summary>
public class FirefoxTests
{
    private static readonly NodeProject Script = new(Path.Combine(LocalInfrastructure.RepoRoot, "tests", "EndToEnd.Tests", "AdminConsole", "firefox"));

    [Test]
    public async Task Every_page_works_in_firefox_and_the_debugger_streams()
    {
        var firefox = Environment.GetEnvironmentVariable("FIREFOX_PATH") is { Length: > 0 } path ? path : "/usr/bin/firefox-esr";
        if (!File.Exists(firefox))
            throw new FileNotFoundException("The console's Firefox test needs Debian's Firefox ESR: run tools/infra.sh browsers, or set FIREFOX_PATH.", firefox);
        var (sourceId, writeKey) = await Sources.CreateAsync();
        await Script.EnsureInstalledAsync();
        // The Models page reads Recommendation, which runs only while a test needs it.
        await using var recommendation = await Platform.StartRecommendationAsync(new Dictionary<string, string> { ["Recommendation__Training__Schedule"] = "00:00:00" });

        var run = await Script.RunAsync("node", ["console-in-firefox.mjs"], TimeSpan.FromMinutes(3), new Dictionary<string, string>
        {
            ["CONSOLE_URL"] = ConsoleHost.Console.BaseAddress.ToString(),
            ["ADMIN_TOKEN"] = Platform.AdminToken,
            ["FIREFOX_PATH"] = firefox,
            ["INGESTION_URL"] = Platform.Ingestion.BaseAddress.ToString(),
            ["WRITE_KEY"] = writeKey,
            ["SOURCE_ID"] = sourceId,
        });
        var seen = JsonDocument.Parse(run.ThrowIfFailed("the Firefox walk").Trim().Split('\n')[^1]).RootElement;

        Assert.That(seen.TryGetProperty("failure", out var failure) ? failure.GetString() : null, Is.Null, run.Output);
        Assert.That(seen.GetProperty("browser").GetString(), Does.Contain("firefox").IgnoreCase);
        foreach (var page in seen.GetProperty("pages").EnumerateObject())
            Assert.That(page.Value.GetString(), Does.StartWith("ok: "), page.Name);
        Assert.That(seen.GetProperty("pages").EnumerateObject().Count(), Is.EqualTo(9));
        Assert.That(seen.GetProperty("debugger").GetProperty("sent").GetInt32(), Is.EqualTo(200));
        Assert.That(seen.GetProperty("debugger").GetProperty("shown").GetBoolean(), Is.True);
        Assert.That(seen.GetProperty("pageErrors").GetArrayLength(), Is.Zero, seen.GetProperty("pageErrors").ToString());
    }
}
