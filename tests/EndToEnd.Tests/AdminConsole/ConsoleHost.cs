using Microsoft.Playwright;
using Personalization.TestSupport;

namespace Personalization.EndToEnd.Tests.AdminConsole;

/// <summary>
/// The admin console as a real process in front of the platform's services, and Debian's Chromium driven by
/// Playwright (no downloaded browser), for the console's tests.
/// </summary>
[SetUpFixture]
public class ConsoleHost
{
    /// <summary>The tenant the console's tests work in, so their sources and plans touch no other test's data.</summary>
    public static string Tenant { get; } = Platform.Tenant + "-console";

    /// <summary>A path of the services' admin API for <see cref="Tenant"/>: <c>AdminPath("/sources")</c>.</summary>
    public static string AdminPath(string path) => $"/admin/tenants/{Tenant}{path}";

    public static ServiceProcess Console { get; private set; } = null!;
    private static IPlaywright _playwright = null!;
    private static IBrowser _browser = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Console = await ServiceProcess.StartAsync("services/AdminConsole", new Dictionary<string, string>(Platform.Settings)
        {
            ["Console__Services__Ingestion"] = Platform.Ingestion.BaseAddress.ToString(),
            ["Console__Services__Segmentation"] = Platform.Segmentation.BaseAddress.ToString(),
            ["Console__Services__Triggers"] = Platform.Triggers.BaseAddress.ToString(),
            ["Console__Services__Recommendation"] = Platform.RecommendationAddress.ToString(),
            ["Console__DefaultTenant"] = Tenant,
        });
        var chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";
        if (!File.Exists(chromium))
            throw new FileNotFoundException("The console's tests need Debian's Chromium: run tools/infra.sh browsers, or set CHROMIUM_PATH.", chromium);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            // Without the background-networking flags Chromium keeps dialling Google's hosts, which this network refuses.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A page of a new browser context (its own cookies and storage), at the console's start page, not signed in.</summary>
    public static async Task<IPage> OpenAsync()
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Console.BaseAddress.ToString(), ViewportSize = new() { Width = 1366, Height = 850 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync("/");
        return page;
    }

    /// <summary>A page signed in with the admin token, showing the console's first page.</summary>
    public static async Task<IPage> SignedInAsync()
    {
        var page = await OpenAsync();
        await page.GetByLabel("Admin token").FillAsync(Platform.AdminToken);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).WaitForAsync();
        return page;
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (Console is not null) await Console.DisposeAsync();
    }
}
