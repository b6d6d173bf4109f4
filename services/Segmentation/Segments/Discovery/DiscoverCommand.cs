using System.Globalization;
using Personalization.ServiceDefaults;

namespace Personalization.Segmentation.Segments.Discovery;

/// <summary>
/// <c>Personalization.Segmentation discover-segments --tenant t</c>: runs discovery now, in this process, and prints
/// each method's report. It reads the event log and writes segments, memberships and their outbox in PostgreSQL; the
/// running service publishes the entries and exits.
/// </summary>
public static class DiscoverCommand
{
    public const string Verb = "discover-segments";

    private const string Usage = """
        usage: discover-segments --tenant <id> [--as-of <ISO 8601 instant; default now>] [--methods rfm,kmeans,dbscan,gmm,predictive]
                                 [--seed 42] [--buy-threshold 0.5] [--churn-threshold 0.5]
               (ConnectionStrings__Postgres comes from the environment)
        """;

    public static Task<int> RunAsync(string[] args) => CommandLineVerb.RunAsync(args, Usage, Console.Out, async () =>
    {
        var options = VerbOptions.Parse(args, ["tenant", "as-of", "methods", "seed", "buy-threshold", "churn-threshold"]);
        var tenant = options.Required("tenant");
        var asOf = options.Text("as-of") is { } text
            ? DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed : throw new UsageException($"--as-of takes an ISO 8601 instant, not '{text}'")
            : DateTimeOffset.UtcNow;
        var methods = (options.Text("methods") ?? string.Join(',', DiscoveryJob.Methods)).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (methods.FirstOrDefault(m => !DiscoveryJob.Methods.Contains(m)) is { } unknown)
            throw new UsageException($"unknown method '{unknown}': one of {string.Join(", ", DiscoveryJob.Methods)}");
        var defaults = new DiscoveryOptions();
        var settings = defaults with
        {
            Seed = options.Int("seed", defaults.Seed),
            BuyThreshold = options.Double("buy-threshold", defaults.BuyThreshold),
            ChurnThreshold = options.Double("churn-threshold", defaults.ChurnThreshold),
        };
        if (settings.BuyThreshold is <= 0 or > 1 || settings.ChurnThreshold is <= 0 or > 1)
            throw new UsageException("--buy-threshold and --churn-threshold take a probability above 0 and at most 1");
        return await DiscoverAsync(tenant, asOf, methods, settings);
    });

    private static async Task<int> DiscoverAsync(string tenant, DateTimeOffset asOf, string[] methods, DiscoveryOptions options)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddDiscoveryJob();
        using var host = builder.Build();

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.WriteLine($"Discovering segments of tenant '{tenant}' as of {asOf:O} ({string.Join(", ", methods)}, seed {options.Seed})");
        var outcomes = await host.Services.GetRequiredService<DiscoveryJob>().RunAsync(tenant, asOf, methods, options,
            (read, _) => { Console.WriteLine($"  {read} people read"); return Task.CompletedTask; }, cancel.Token);
        if (outcomes.Count == 0) Console.WriteLine($"No customers to discover segments in (a customer has at least one order; clustering needs {DiscoveryJob.FewestToCluster}).");
        foreach (var outcome in outcomes) DiscoveryReportText.Write(Console.Out, outcome);
        return 0;
    }
}
