using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace Personalization.TestSupport;

/// <summary>One of our services or tools, run from its build output as a real process on a loopback port.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServiceProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }
    public HttpClient Client { get; }
    public string Output => string.Join('\n', _output);

    /// <param name="project">Project folder relative to the repository root, e.g. <c>services/Ingestion</c>.</param>
    /// <param name="port">A port reserved with <see cref="FreePort"/> when others must know it in advance.</param>
    public static async Task<ServiceProcess> StartAsync(
        string project, IReadOnlyDictionary<string, string> environment, int? port = null, string readinessPath = "/health/ready")
    {
        var service = Path.GetFileName(project);
        var baseAddress = new Uri($"http://127.0.0.1:{port ?? FreePort()}");
        var start = StartInfo(project, environment, ["--urls", baseAddress.ToString()]);
        var process = new Process { StartInfo = start };
        var instance = new ServiceProcess(process, baseAddress);
        process.OutputDataReceived += (_, e) => instance.Record(e.Data);
        process.ErrorDataReceived += (_, e) => instance.Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await instance.WaitUntilReadyAsync(service, readinessPath, TimeSpan.FromSeconds(90));
            return instance;
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a command-line verb of a project to completion; throws with its output if it fails.</summary>
    public static async Task<string> RunToEndAsync(string project, IReadOnlyDictionary<string, string> environment, string[] args)
    {
        using var process = Process.Start(StartInfo(project, environment, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;
        return process.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"{project} {string.Join(' ', args)} exited with {process.ExitCode}:\n{output}");
    }

    private static ProcessStartInfo StartInfo(string project, IReadOnlyDictionary<string, string> environment, string[] args)
    {
        var name = Path.GetFileName(project);
        var configuration = typeof(ServiceProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var dll = Path.Combine(LocalInfrastructure.RepoRoot, project, "bin", configuration, "net10.0", $"Personalization.{name}.dll");
        if (!File.Exists(dll))
            throw new FileNotFoundException($"Build {name} first; its output is missing", dll);

        var start = new ProcessStartInfo("dotnet", [dll, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        return start;
    }

    private void Record(string? line)
    {
        if (line is null) return;
        _output.Enqueue(line);
        while (_output.Count > 100_000) _output.TryDequeue(out _);
    }

    private async Task WaitUntilReadyAsync(string service, string readinessPath, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{service} exited with code {_process.ExitCode}:\n{Output}");
            try
            {
                using var response = await Client.GetAsync(readinessPath);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{service} was not ready within {timeout.TotalSeconds}s:\n{Output}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
