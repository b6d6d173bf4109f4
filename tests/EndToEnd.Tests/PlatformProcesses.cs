using Personalization.TestSupport;

namespace Personalization.EndToEnd.Tests;

/// <summary>
/// The platform's processes for one set of settings: the ingestion API and relay, the Dapr sidecar emulator,
/// Segmentation and Triggers (which host the actors), each a real process on loopback.
/// </summary>
public sealed class PlatformProcesses : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly IReadOnlyDictionary<string, string> _relaySettings;
    private readonly bool _placement;
    private readonly int _sidecarPort = ServiceProcess.FreePort();
    private readonly int _segmentationPort = ServiceProcess.FreePort();
    private readonly int _triggersPort = ServiceProcess.FreePort();
    private readonly int _recommendationPort = ServiceProcess.FreePort();

    private PlatformProcesses(IReadOnlyDictionary<string, string> environment, IReadOnlyDictionary<string, string> relaySettings, bool placement)
    {
        _environment = new Dictionary<string, string>(environment) { ["DAPR_HTTP_PORT"] = _sidecarPort.ToString() };
        _relaySettings = relaySettings;
        _placement = placement;
    }

    public ServiceProcess Ingestion { get; private set; } = null!;
    public ServiceProcess Relay { get; private set; } = null!;
    public ServiceProcess Sidecar { get; private set; } = null!;
    public ServiceProcess Segmentation { get; private set; } = null!;
    public ServiceProcess Triggers { get; private set; } = null!;

    /// <summary>Where <see cref="StartRecommendationAsync"/> starts Recommendation, and so where Triggers looks for it.</summary>
    public Uri RecommendationAddress => new($"http://127.0.0.1:{_recommendationPort}");

    /// <summary>The settings every process gets, the sidecar's port included.</summary>
    public IReadOnlyDictionary<string, string> Settings => _environment;

    /// <summary>Where the sidecar keeps actor state in the platform's database.</summary>
    public string ActorStateSchema { get; private set; } = "";

    /// <param name="environment">Settings for every process.</param>
    /// <param name="relaySettings">Settings for the relay alone, on top of those.</param>
    /// <param name="placement">Sidecars with placement on, so that <see cref="StartSegmentationReplicaAsync"/> can add replicas.</param>
    public static async Task<PlatformProcesses> StartAsync(
        IReadOnlyDictionary<string, string> environment, IReadOnlyDictionary<string, string>? relaySettings = null, bool placement = false)
    {
        var platform = new PlatformProcesses(environment, relaySettings ?? new Dictionary<string, string>(), placement);
        try
        {
            platform.Ingestion = await ServiceProcess.StartAsync("services/Ingestion", platform._environment);
            await platform.StartActorsAsync("dapr_sidecar");
            platform.Relay = await platform.StartRelayAsync();
            return platform;
        }
        catch
        {
            await platform.DisposeAsync();
            throw;
        }
    }

    /// <summary>The sidecar, Segmentation and Triggers, with actor state in <paramref name="stateSchema"/>.</summary>
    private async Task StartActorsAsync(string stateSchema)
    {
        ActorStateSchema = stateSchema;
        Sidecar = await StartSidecarAsync();
        Segmentation = await ServiceProcess.StartAsync("services/Segmentation", _environment, _segmentationPort);
        Triggers = await StartTriggersAsync();
    }

    private Task<ServiceProcess> StartSidecarAsync() => StartSidecarAsync(_sidecarPort, _segmentationPort, _triggersPort);

    /// <summary>An emulator for the apps on <paramref name="appPorts"/>; with placement on, it shares their actor types with the other emulators.</summary>
    private Task<ServiceProcess> StartSidecarAsync(int port, params int[] appPorts)
    {
        var settings = new Dictionary<string, string>(_environment) { ["Sidecar__Schema"] = ActorStateSchema };
        for (var i = 0; i < appPorts.Length; i++) settings[$"Sidecar__Apps__{i}"] = $"http://127.0.0.1:{appPorts[i]}";
        if (_placement) settings["Sidecar__Placement__Address"] = $"http://127.0.0.1:{port}";
        return ServiceProcess.StartAsync("tools/DaprSidecar", settings, port, readinessPath: "/v1.0/healthz");
    }

    /// <summary>
    /// Another Segmentation replica with its own sidecar, as Kubernetes adds a pod: it competes for the same queue and
    /// the sidecars place the profile actors over both replicas.
    /// </summary>
    public async Task<SegmentationReplica> StartSegmentationReplicaAsync()
    {
        if (!_placement) throw new InvalidOperationException("Start the platform with placement on to add Segmentation replicas.");
        var (sidecarPort, appPort) = (ServiceProcess.FreePort(), ServiceProcess.FreePort());
        var sidecar = await StartSidecarAsync(sidecarPort, appPort);
        var segmentation = await ServiceProcess.StartAsync("services/Segmentation",
            new Dictionary<string, string>(_environment) { ["DAPR_HTTP_PORT"] = sidecarPort.ToString() }, appPort);
        return new SegmentationReplica(sidecar, segmentation);
    }

    /// <summary>Kills the sidecar (no graceful stop), runs <paramref name="whileStopped"/>, and starts it again on the same state.</summary>
    public async Task KillSidecarAsync(Func<Task> whileStopped)
    {
        await Sidecar.DisposeAsync();
        await whileStopped();
        Sidecar = await StartSidecarAsync();
    }

    /// <summary>Triggers on the port the sidecar knows, sending email to the local SMTP server.</summary>
    public Task<ServiceProcess> StartTriggersAsync() =>
        ServiceProcess.StartAsync("services/Triggers", new Dictionary<string, string>(_environment)
        {
            ["Email__From"] = "Shop <shop@example.com>",
            ["Email__PublicUrl"] = $"http://127.0.0.1:{_triggersPort}",
            ["Feedback__IngestionUrl"] = Ingestion.BaseAddress.ToString(),
            ["Segmentation__Url"] = $"http://127.0.0.1:{_segmentationPort}",
            // Where tests that need one start Recommendation (StartRecommendationAsync); without it templates fall back.
            ["Recommendation__Url"] = $"http://127.0.0.1:{_recommendationPort}",
        }, _triggersPort);

    /// <summary>Recommendation on the port Triggers asks for recommendations, with the platform's settings and <paramref name="settings"/> over them.</summary>
    public Task<ServiceProcess> StartRecommendationAsync(IReadOnlyDictionary<string, string> settings)
    {
        var environment = new Dictionary<string, string>(_environment);
        foreach (var (key, value) in settings) environment[key] = value;
        return ServiceProcess.StartAsync("services/Recommendation", environment, _recommendationPort);
    }

    /// <summary>Kills Triggers (no graceful stop), runs <paramref name="whileStopped"/>, and starts it again.</summary>
    public async Task KillTriggersAsync(Func<Task> whileStopped)
    {
        await Triggers.DisposeAsync();
        await whileStopped();
        Triggers = await StartTriggersAsync();
    }

    /// <summary>Restarts the actor side with empty actor state, as after losing the state store.</summary>
    public async Task RestartActorsWithEmptyStateAsync()
    {
        await Triggers.DisposeAsync();
        await Segmentation.DisposeAsync();
        await Sidecar.DisposeAsync();
        await StartActorsAsync("dapr_sidecar_" + Guid.NewGuid().ToString("N")[..8]);
    }

    private Task<ServiceProcess> StartRelayAsync()
    {
        var settings = new Dictionary<string, string>(_environment) { ["Ingestion__Role"] = "Relay" };
        foreach (var (key, value) in _relaySettings) settings[key] = value;
        return ServiceProcess.StartAsync("services/Ingestion", settings);
    }

    public async Task RestartRelayAsync(Func<Task> whileStopped)
    {
        await Relay.DisposeAsync();
        await whileStopped();
        Relay = await StartRelayAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in new[] { Relay, Triggers, Segmentation, Sidecar, Ingestion })
            if (service is not null) await service.DisposeAsync();
    }
}

/// <summary>A Segmentation replica and its sidecar; disposing kills both (no graceful stop), as when a node dies.</summary>
public sealed class SegmentationReplica(ServiceProcess sidecar, ServiceProcess segmentation) : IAsyncDisposable
{
    public ServiceProcess Sidecar { get; } = sidecar;
    public ServiceProcess Segmentation { get; } = segmentation;

    private bool _killed;

    public async ValueTask DisposeAsync()
    {
        if (_killed) return;
        _killed = true;
        await Segmentation.DisposeAsync();
        await Sidecar.DisposeAsync();
    }
}
