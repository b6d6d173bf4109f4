using System.ComponentModel;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Personalization.TestSupport;

namespace Personalization.SdkCompatibility.Tests;

/// <summary>
/// The npm project in <c>node/</c>: the SDKs pinned by its package-lock.json, installed with <c>npm ci</c>, and one
/// driver script per SDK that makes every call through it and reports what the SDK says it delivered.
/// </summary>
public static class NodeSdks
{
    public const string Segment = "segment.js";
    public const string Rudder = "rudder.js";

    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Folder { get; } = Path.Combine(LocalInfrastructure.RepoRoot, "tests", "SdkCompatibility.Tests", "node");

    // npm ci empties node_modules first, so a stamp inside it can only describe the install that wrote it.
    private static string Stamp => Path.Combine(Folder, "node_modules", ".installed-from-sha256");

    /// <summary>Runs <c>npm ci</c> unless node_modules was installed from the current package.json and lock.</summary>
    public static async Task EnsureInstalledAsync()
    {
        var wanted = ManifestHash();
        if (File.Exists(Stamp) && await File.ReadAllTextAsync(Stamp) == wanted) return;

        // Rudder's only optional dependency is bull, its Redis queue, which these tests do not use; no package they
        // load needs an install script.
        await RunAsync("npm", ["ci", "--omit=optional", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], new Dictionary<string, string>(), InstallTimeout, "npm ci in " + Folder);
        await File.WriteAllTextAsync(Stamp, wanted);
    }

    /// <summary>The exact version node/package.json pins for an SDK package.</summary>
    public static string PinnedVersion(string package)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, "package.json")));
        return manifest.RootElement.GetProperty("dependencies").GetProperty(package).GetString()!;
    }

    /// <summary>Runs a driver script against <paramref name="host"/> and returns its report.</summary>
    /// <param name="httpTimeout">The SDK's own request timeout, when a test needs one shorter than the SDK's default.</param>
    /// <param name="withInvalid">Adds one call Ingestion cannot take (see node/calls.js).</param>
    public static async Task<SdkRun> RunAsync(string script, Uri host, string writeKey, TimeSpan? httpTimeout = null, bool withInvalid = false)
    {
        var environment = new Dictionary<string, string>
        {
            ["SDK_HOST"] = host.GetLeftPart(UriPartial.Authority),
            ["SDK_WRITE_KEY"] = writeKey,
            ["SDK_HTTP_TIMEOUT_MS"] = httpTimeout is { } timeout ? ((int)timeout.TotalMilliseconds).ToString() : "",
            ["SDK_WITH_INVALID"] = withInvalid ? "1" : "",
        };
        var output = await RunAsync("node", [script], environment, RunTimeout, $"node {script}");
        var report = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault()
            ?? throw new InvalidOperationException($"node {script} printed no report.");
        return JsonSerializer.Deserialize<SdkRun>(report, Json)
            ?? throw new InvalidOperationException($"node {script} printed an empty report: {report}");
    }

    private static string ManifestHash()
    {
        var manifest = File.ReadAllBytes(Path.Combine(Folder, "package.json"));
        var lockFile = File.ReadAllBytes(Path.Combine(Folder, "package-lock.json"));
        return Convert.ToHexStringLower(SHA256.HashData(manifest.Concat(lockFile).ToArray()));
    }

    private static async Task<string> RunAsync(
        string command, string[] args, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, string what)
    {
        var start = new ProcessStartInfo(command, args)
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment)
            start.Environment[key] = value;

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"{what}: cannot start '{command}' ({ex.Message}). These tests need Node.js 20+ and npm on the PATH.", ex);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                throw new TimeoutException($"{what} did not finish within {timeout.TotalSeconds:0} s.\nstdout:\n{await stdout}\nstderr:\n{await stderr}");
            }
            return process.ExitCode == 0
                ? await stdout
                : throw new InvalidOperationException($"{what} failed with exit code {process.ExitCode}.\nstdout:\n{await stdout}\nstderr:\n{await stderr}");
        }
    }
}

/// <summary>A driver script's report: the messages the SDK says it delivered, its failures and the statuses it saw.</summary>
public sealed record SdkRun(
    string Sdk,
    string Version,
    int Calls,
    IReadOnlyList<SentMessage> Delivered,
    IReadOnlyList<string> Failures,
    IReadOnlyList<int> Statuses);

public sealed record SentMessage(string MessageId, string Type, string? UserId, string? AnonymousId, DateTimeOffset? Timestamp);
