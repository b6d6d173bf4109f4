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

    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly NodeProject Project = new(Path.Combine(LocalInfrastructure.RepoRoot, "tests", "SdkCompatibility.Tests", "node"));

    public static string Folder => Project.Folder;

    // Rudder's only optional dependency is bull, its Redis queue, which these tests do not use; no package they
    // load needs an install script.
    /// <summary>Installs the pinned SDKs unless they already are.</summary>
    public static Task EnsureInstalledAsync() => Project.EnsureInstalledAsync(omitOptional: true);

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
        var output = (await Project.RunAsync("node", [script], RunTimeout, environment)).ThrowIfFailed($"node {script}");
        var report = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault()
            ?? throw new InvalidOperationException($"node {script} printed no report.");
        return JsonSerializer.Deserialize<SdkRun>(report, Json)
            ?? throw new InvalidOperationException($"node {script} printed an empty report: {report}");
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
