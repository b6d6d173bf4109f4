using Personalization.TestSupport;

namespace Personalization.Chaos;

/// <summary>
/// The pipeline from the tracking API to the profiles, as real processes on loopback over a PostgreSQL and RabbitMQ
/// of the bench's own: ingestion API, relay, the sidecar emulator and Segmentation. Each can be killed (kill -9) and
/// started again on the same port and settings.
/// </summary>
public sealed class ChaosPlatform : IAsyncDisposable
{
    public const string WriteKey = "chaos-write-key";
    public const string ReadToken = "chaos-read-token";

    private readonly Dictionary<string, string> _environment;
    private readonly int _sidecarPort = ServiceProcess.FreePort();
    private readonly int _segmentationPort = ServiceProcess.FreePort();
    private readonly Dictionary<string, (Func<Task<ServiceProcess>> Start, ServiceProcess? Running)> _services = [];

    public ChaosPlatform(string tenant, InfraSettings infra, string database)
    {
        _environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database,
            ["ConnectionStrings__RabbitMQ"] = infra.RabbitMqConnectionString,
            [$"Ingestion__WriteKeys__{WriteKey}"] = tenant,
            [$"Segmentation__AccessTokens__{ReadToken}"] = tenant,
            ["DAPR_API_TOKEN"] = "chaos-dapr-api-token",
            ["APP_API_TOKEN"] = "chaos-app-api-token",
            ["DAPR_HTTP_PORT"] = _sidecarPort.ToString(),
        };
        var ingestionPort = ServiceProcess.FreePort();
        var relayPort = ServiceProcess.FreePort();
        Add("ingestion", () => ServiceProcess.StartAsync("services/Ingestion", _environment, ingestionPort));
        Add("relay", () => ServiceProcess.StartAsync("services/Ingestion", With(("Ingestion__Role", "Relay")), relayPort));
        Add("sidecar", () => ServiceProcess.StartAsync("tools/DaprSidecar",
            With(("Sidecar__Apps__0", $"http://127.0.0.1:{_segmentationPort}")), _sidecarPort, readinessPath: "/v1.0/healthz"));
        Add("segmentation", () => ServiceProcess.StartAsync("services/Segmentation", _environment, _segmentationPort));
    }

    public IReadOnlyCollection<string> Services => _services.Keys;

    public ServiceProcess this[string name] => _services[name].Running ?? throw new InvalidOperationException($"{name} is not running");

    public async Task StartAsync()
    {
        foreach (var name in _services.Keys.ToList()) await RestartAsync(name);
    }

    public async Task KillAsync(string name)
    {
        if (_services[name].Running is { } running) await running.DisposeAsync();
        _services[name] = (_services[name].Start, null);
    }

    public async Task RestartAsync(string name) => _services[name] = (_services[name].Start, await _services[name].Start());

    public async ValueTask DisposeAsync()
    {
        foreach (var name in _services.Keys.Reverse().ToList()) await KillAsync(name);
    }

    private void Add(string name, Func<Task<ServiceProcess>> start) => _services[name] = (start, null);

    private Dictionary<string, string> With(params (string Key, string Value)[] settings)
    {
        var environment = new Dictionary<string, string>(_environment);
        foreach (var (key, value) in settings) environment[key] = value;
        return environment;
    }
}
