using System.ComponentModel;
using System.Diagnostics;
using System.Security.Cryptography;

namespace Personalization.TestSupport;

/// <summary>What a command run by <see cref="NodeProject"/> printed, and how it ended.</summary>
public sealed record CommandRun(int ExitCode, string Output, string Errors)
{
    /// <summary>The output of a run that succeeded; else an exception with all it printed.</summary>
    public string ThrowIfFailed(string what) => ExitCode == 0
        ? Output
        : throw new InvalidOperationException($"{what} failed with exit code {ExitCode}.\nstdout:\n{Output}\nstderr:\n{Errors}");
}

/// <summary>
/// An npm project of the repository that tests install and run: the packages its package-lock.json pins, installed
/// with <c>npm ci</c> once per change of package.json or the lock, and commands run in its folder.
/// </summary>
public sealed class NodeProject(string folder)
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);

    public string Folder { get; } = folder;

    // npm ci empties node_modules first, so a stamp inside it can only describe the install that wrote it.
    private string Stamp => Path.Combine(Folder, "node_modules", ".installed-from-sha256");

    /// <summary>Runs <c>npm ci</c> unless node_modules was installed from the current package.json and lock.</summary>
    /// <param name="omitOptional">Leaves out optional dependencies the tests do not load.</param>
    public async Task EnsureInstalledAsync(bool omitOptional = false)
    {
        var wanted = ManifestHash();
        if (File.Exists(Stamp) && await File.ReadAllTextAsync(Stamp) == wanted) return;

        string[] args = ["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error", .. omitOptional ? ["--omit=optional"] : Array.Empty<string>()];
        (await RunAsync("npm", args, InstallTimeout)).ThrowIfFailed("npm ci in " + Folder);
        await File.WriteAllTextAsync(Stamp, wanted);
    }

    /// <summary>Runs a command in the project's folder; a command that cannot start or overruns the timeout throws.</summary>
    public async Task<CommandRun> RunAsync(string command, IEnumerable<string> args, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null, string? input = null)
    {
        var start = new ProcessStartInfo(command, args)
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"Cannot start '{command}' in {Folder} ({ex.Message}). These tests need Node.js 20+ and npm on the PATH.", ex);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input);
                process.StandardInput.Close();
            }
            using var deadline = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                throw new TimeoutException($"{command} {string.Join(' ', args)} did not finish within {timeout.TotalSeconds:0} s.\nstdout:\n{await stdout}\nstderr:\n{await stderr}");
            }
            return new CommandRun(process.ExitCode, await stdout, await stderr);
        }
    }

    private string ManifestHash()
    {
        var manifest = File.ReadAllBytes(Path.Combine(Folder, "package.json"));
        var lockFile = File.ReadAllBytes(Path.Combine(Folder, "package-lock.json"));
        return Convert.ToHexStringLower(SHA256.HashData(manifest.Concat(lockFile).ToArray()));
    }
}
