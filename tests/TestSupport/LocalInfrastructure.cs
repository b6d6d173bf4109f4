using System.Diagnostics;

namespace Personalization.TestSupport;

/// <summary>
/// Starts the project's PostgreSQL and RabbitMQ through tools/infra.sh (idempotent) and hands out their settings,
/// the same ones the run script gives the services.
/// </summary>
public static class LocalInfrastructure
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static InfraSettings? _settings;

    public static string RepoRoot { get; } = FindRepoRoot();

    public static async Task<InfraSettings> EnsureStartedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_settings is not null) return _settings;
            await RunAsync("up");
            var values = (await RunAsync("env"))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => line.Split('=', 2))
                .Where(parts => parts.Length == 2)
                .ToDictionary(parts => parts[0], parts => parts[1]);
            return _settings = new InfraSettings(values["ConnectionStrings__Postgres"], values["ConnectionStrings__RabbitMQ"]);
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<string> RunAsync(string verb)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepoRoot, "tools", "infra.sh"), verb])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoRoot,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"tools/infra.sh {verb} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        return await stdout;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Personalization.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Personalization.sln not found above " + AppContext.BaseDirectory);
    }
}

public sealed record InfraSettings(string PostgresConnectionString, string RabbitMqConnectionString);
