using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Personalization.Segmentation.Segments.Discovery.Clustering;
using Personalization.Segmentation.Segments.Discovery.Features;
using Personalization.Segmentation.Segments.Rfm;

// Clustering speed and agreement against scikit-learn, side by side in one run: K-Means (k = 6, the same number of
// starts on both sides) and a 6-component
// Gaussian mixture on synthetic customers × 3 features (time and peak memory, each phase in its own process so the
// peaks are its own), and the silhouette at each k on Online Retail's log-standardised RFM features.
// Usage: ClusteringBench <online-retail.csv.gz> [customers=1000000] [seed=42] [python=python3]
//        ClusteringBench --phase <kmeans|gmm|silhouettes> <data.csv> <k> <seed>   (one phase, ours; JSON out)
var invariant = CultureInfo.InvariantCulture;
if (args is ["--phase", var phase, var dataPath, var kText, var seedText])
{
    var data = ReadPoints(dataPath);
    var (k, s) = (int.Parse(kText, invariant), int.Parse(seedText, invariant));
    var result = new Dictionary<string, object>();
    var watch = Stopwatch.StartNew();
    switch (phase)
    {
        case "kmeans":
            var fit = KMeansClustering.Fit(data, k, s);
            result["seconds"] = watch.Elapsed.TotalSeconds;
            result["inertia"] = fit.Inertia(data);
            break;
        case "gmm":
            var mixture = GaussianMixture.Fit(data, k, s);
            result["seconds"] = watch.Elapsed.TotalSeconds;
            result["logLikelihood"] = mixture.LogLikelihood;
            result["bic"] = mixture.Bic;
            break;
        default:
            result["silhouettes"] = Enumerable.Range(2, k - 1).ToDictionary(c => c.ToString(invariant),
                c => ClusterQuality.Silhouette(data, KMeansClustering.Fit(data, c, s).Labels, c, s, sample: int.MaxValue));
            break;
    }
    result["peakMb"] = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
    Console.WriteLine(JsonSerializer.Serialize(result));
    return 0;
}
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: ClusteringBench <online-retail.csv.gz> [customers=1000000] [seed=42] [python=python3]");
    return 2;
}

var retail = args[0];
var customers = args.Length > 1 ? int.Parse(args[1], invariant) : 1_000_000;
var seed = args.Length > 2 ? int.Parse(args[2], invariant) : 42;
var python = args.Length > 3 ? args[3] : "python3";
var work = Directory.CreateTempSubdirectory("clustering-bench-");
var script = Path.Combine(AppContext.BaseDirectory, "sklearn_reference.py");
var self = Path.Combine(AppContext.BaseDirectory, "Personalization.ClusteringBench.dll");

Console.WriteLine($"Clustering bench: {customers:N0} synthetic customers × 3 features, seed {seed}, {Environment.ProcessorCount} cores; {Machine()}");
var synthetic = Path.Combine(work.FullName, "synthetic.csv");
WritePoints(synthetic, Synthetic(customers, seed));
var rfm = Path.Combine(work.FullName, "online-retail-rfm.csv");
var retailCustomers = RetailRfm(retail);
WritePoints(rfm, FeatureSpace.Standardise(retailCustomers, FeatureSpace.Rfm));

Console.WriteLine("\n| phase | ours: seconds | scikit-learn: seconds | ratio | ours: peak MB | scikit-learn: peak MB | ours | scikit-learn |\n|---|---:|---:|---:|---:|---:|---|---|");
foreach (var (step, quality) in new[] { ("kmeans", "inertia"), ("gmm", "logLikelihood") })
{
    var ours = Run("dotnet", self, "--phase", step, synthetic, "6", seed.ToString(invariant));
    var theirs = Run(python, script, step, synthetic, "6", seed.ToString(invariant));
    Console.WriteLine(string.Create(invariant,
        $"| {step} (6) | {ours.GetProperty("seconds").GetDouble():F2} | {theirs.GetProperty("seconds").GetDouble():F2} | " +
        $"{ours.GetProperty("seconds").GetDouble() / theirs.GetProperty("seconds").GetDouble():F2} | {ours.GetProperty("peakMb").GetDouble():F0} | " +
        $"{theirs.GetProperty("peakMb").GetDouble():F0} | {quality} {ours.GetProperty(quality).GetDouble():G6} | {quality} {theirs.GetProperty(quality).GetDouble():G6} |"));
}

Console.WriteLine($"\nSilhouette at each k on Online Retail's RFM features ({retailCustomers.Count:N0} customers, log(1 + x), standardised; exact silhouettes; 10 starts each):\n");
var ourSilhouettes = Run("dotnet", self, "--phase", "silhouettes", rfm, "10", seed.ToString(invariant)).GetProperty("silhouettes");
var theirSilhouettes = Run(python, script, "silhouettes", rfm, "10", seed.ToString(invariant)).GetProperty("silhouettes");
Console.WriteLine("| k | ours | scikit-learn | difference |\n|---:|---:|---:|---:|");
foreach (var k in ourSilhouettes.EnumerateObject())
{
    var (a, b) = (k.Value.GetDouble(), theirSilhouettes.GetProperty(k.Name).GetDouble());
    Console.WriteLine(string.Create(invariant, $"| {k.Name} | {a:F4} | {b:F4} | {Math.Round(a - b, 4):+0.0000;-0.0000;0.0000} |"));
}
work.Delete(recursive: true);
return 0;

JsonElement Run(string file, params string[] arguments)
{
    var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in arguments) start.ArgumentList.Add(argument);
    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEnd();
    var error = process.StandardError.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
    return JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement.Clone();
}

// Six groups of customers in a log-RFM-like space, of unequal sizes and spreads.
static double[][] Synthetic(int n, int seed)
{
    var random = new Random(seed);
    double[][] centres = [[0, 0, 0], [3, 1, 2], [-2, 3, 1], [1, -3, 2], [4, 4, -1], [-3, -2, -3]];
    double[] spreads = [1.0, 0.6, 0.8, 0.5, 0.9, 0.7];
    double[] weights = [0.3, 0.2, 0.15, 0.15, 0.1, 0.1];
    double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
    return Enumerable.Range(0, n).Select(_ =>
    {
        var (u, c) = (random.NextDouble(), 0);
        while (c < weights.Length - 1 && (u -= weights[c]) > 0) c++;
        return centres[c].Select(x => x + spreads[c] * Normal()).ToArray();
    }).ToArray();
}

static void WritePoints(string path, double[][] points)
{
    using var writer = new StreamWriter(path);
    foreach (var p in points) writer.WriteLine(string.Join(',', p.Select(x => x.ToString("R", CultureInfo.InvariantCulture))));
}

static double[][] ReadPoints(string path) =>
    File.ReadLines(path).Select(line => line.Split(',').Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray()).ToArray();

// RFM from the raw export as of the day after its last invoice: distinct invoices (cancellations, 'C…', are not
// orders but their negative lines lower the total), the sum of quantity × price, days since the last invoice.
static List<CustomerFeatures> RetailRfm(string path)
{
    var asOf = new DateTime(2011, 12, 10);
    var byCustomer = new Dictionary<string, (HashSet<string> Invoices, double Spent, DateTime Last)>();
    using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
    reader.ReadLine();
    while (reader.ReadLine() is { } line)
    {
        var f = SplitCsv(line);
        if (f[6] is "NA" or "") continue;
        var entry = byCustomer.TryGetValue(f[6], out var e) ? e : (new HashSet<string>(), 0.0, DateTime.MinValue);
        var at = DateTime.ParseExact(f[4], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        entry.Item2 += double.Parse(f[3], CultureInfo.InvariantCulture) * double.Parse(f[5], CultureInfo.InvariantCulture);
        if (!f[0].StartsWith('C'))
        {
            entry.Item1.Add(f[0]);
            if (at > entry.Item3) entry.Item3 = at;
        }
        byCustomer[f[6]] = entry;
    }
    return byCustomer.Where(c => c.Value.Invoices.Count > 0).OrderBy(c => c.Key, StringComparer.Ordinal)
        .Select(c => new CustomerFeatures(c.Key, new RfmValues((asOf - c.Value.Last).TotalDays, c.Value.Invoices.Count, c.Value.Spent), 0, 0, 0, CustomerFeatures.NoCategories))
        .ToList();
}

static string[] SplitCsv(string line)
{
    var fields = new List<string>();
    var field = new StringBuilder();
    var quoted = false;
    for (var i = 0; i < line.Length; i++)
    {
        var c = line[i];
        if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
        else if (c == '"') quoted = !quoted;
        else if (c == ',' && !quoted) { fields.Add(field.ToString()); field.Clear(); }
        else field.Append(c);
    }
    fields.Add(field.ToString());
    return fields.ToArray();
}

static string Machine()
{
    var stat = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
    return $"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}, CPU steal since boot {100.0 * stat[7] / stat.Take(8).Sum():F1}%";
}
