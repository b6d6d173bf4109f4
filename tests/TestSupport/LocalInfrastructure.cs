using System.Diagnostics;

namespace Personalization.TestSupport;

/// <summary>
/// Starts the project's PostgreSQL, RabbitMQ and SMTP server through tools/infra.sh (idempotent) and hands out their settings,
/// the same ones the run script gives the services.
/// </summary>
public static class LocalInfrastructure
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static InfraSettings? _settings;

    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The shared pair that most tests use.</summary>
    public static InfraInstance Shared { get; } = new(new Dictionary<string, string>());

    public static async Task<InfraSettings> EnsureStartedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _settings ??= await Shared.UpAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    internal static async Task<string> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepoRoot, "tools", "infra.sh"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoRoot,
        };
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"tools/infra.sh {string.Join(' ', args)} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
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

/// <summary>
/// One PostgreSQL and RabbitMQ pair run by tools/infra.sh: the shared one, or one of a test's own
/// (<c>INFRA_INSTANCE</c> with its own ports) that the test may crash without disturbing the rest of the suite.
/// </summary>
public sealed class InfraInstance(IReadOnlyDictionary<string, string> environment)
{
    public static InfraInstance Own(string name, int postgresPort, int rabbitMqPort) => new(new Dictionary<string, string>
    {
        ["INFRA_INSTANCE"] = name,
        ["PG_PORT"] = postgresPort.ToString(),
        ["RABBITMQ_PORT"] = rabbitMqPort.ToString(),
        ["RABBITMQ_DIST_PORT"] = (rabbitMqPort + 1).ToString(),
        ["RABBITMQ_NODENAME"] = $"personalization-{name}@localhost",
    });

    /// <summary>Starts what is not running and returns the connection settings.</summary>
    public async Task<InfraSettings> UpAsync()
    {
        await LocalInfrastructure.RunAsync(environment, "up");
        var values = (await LocalInfrastructure.RunAsync(environment, "env"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1]);
        return new InfraSettings(values["ConnectionStrings__Postgres"], values["ConnectionStrings__RabbitMQ"], values);
    }

    /// <summary><c>rabbitmq</c>: kill -9 of the node; <c>postgres</c>: an immediate-mode stop. <see cref="UpAsync"/> starts it again.</summary>
    public Task CrashAsync(string server) => LocalInfrastructure.RunAsync(environment, "crash", server);

    /// <summary>A RabbitMQ virtual host of its own; returns its amqp:// URL.</summary>
    public async Task<string> AddVirtualHostAsync(string name) => (await LocalInfrastructure.RunAsync(environment, "vhost", name)).Trim();

    public Task DropVirtualHostAsync(string name) => LocalInfrastructure.RunAsync(environment, "drop-vhost", name);

    public Task DownAsync() => LocalInfrastructure.RunAsync(environment, "down");
}

/// <param name="Environment">Everything <c>tools/infra.sh env</c> prints: the connection strings, the SMTP server's settings (<c>Email__Smtp__*</c>) and the address of its message list (<c>SMTP_WEB_URL</c>).</param>
public sealed record InfraSettings(string PostgresConnectionString, string RabbitMqConnectionString, IReadOnlyDictionary<string, string> Environment);
