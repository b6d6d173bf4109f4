using System.Net.Http.Json;
using Dapr.Actors;
using Dapr.Actors.Client;
using Personalization.DaprSidecar.Tests.Conformance;
using Personalization.DaprSidecar.Tests.Conformance.TestApp;
using Personalization.TestSupport;

namespace Personalization.DaprSidecar.Tests.Placement;

/// <summary>
/// App replicas, each a real Dapr.Actors app with its own emulator, sharing one schema with placement on: what
/// Kubernetes runs as pods with their daprd sidecars. An emulator runs in-process, or as a real process when the
/// test kills it.
/// </summary>
public sealed class PlacementCluster(TestDatabase database) : IAsyncDisposable
{
    public const string ApiToken = "placement-token";
    public const string AppToken = "placement-app-token";
    public static readonly TimeSpan HostTimeout = TimeSpan.FromSeconds(1);

    private readonly List<Replica> _replicas = [];

    public string Schema { get; } = "placement_" + Guid.NewGuid().ToString("N")[..8];

    public async Task<Replica> StartReplicaAsync(bool sidecarAsProcess = false)
    {
        var sidecarPort = InProcessSidecar.FreePort();
        var sidecar = new Uri($"http://127.0.0.1:{sidecarPort}");
        var appAddress = new Uri($"http://127.0.0.1:{InProcessSidecar.FreePort()}");
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["Sidecar:Schema"] = Schema,
            ["Sidecar:Apps:0"] = appAddress.ToString(),
            ["Sidecar:ApiToken"] = ApiToken,
            ["Sidecar:AppApiToken"] = AppToken,
            ["Sidecar:DiscoveryInterval"] = "00:00:00.200",
            ["Sidecar:IdleScanInterval"] = "00:00:00.100",
            ["Sidecar:ReminderPollInterval"] = "00:00:00.500",
            ["Sidecar:ReminderRetryDelay"] = "00:00:00.200",
            ["Sidecar:Placement:Address"] = sidecar.ToString().TrimEnd('/'),
            ["Sidecar:Placement:HeartbeatInterval"] = "00:00:00.100",
            ["Sidecar:Placement:HostTimeout"] = HostTimeout.ToString(),
        };

        IAsyncDisposable host;
        if (sidecarAsProcess)
        {
            host = await ServiceProcess.StartAsync("tools/DaprSidecar",
                settings.ToDictionary(s => s.Key.Replace(":", "__"), s => s.Value), sidecarPort, readinessPath: "/v1.0/healthz");
        }
        else
        {
            var inProcess = new InProcessSidecar(sidecar, settings!);
            await inProcess.StartAsync();
            host = inProcess;
        }
        var app = await ActorTestApp.StartAsync(appAddress, sidecar, ApiToken, AppToken, ActorTypes.RegisterMain);
        var replica = new Replica(sidecar, host, app);
        _replicas.Add(replica);
        return replica;
    }

    /// <summary>Until every running emulator places <see cref="ActorTypes.Probe"/> on <paramref name="hosts"/> hosts.</summary>
    public Task WaitForHostsAsync(int hosts) => Eventually.ReturnsAsync(
        async () => await Task.WhenAll(_replicas.Where(r => r.Running).Select(r => r.ProbeHostsAsync())),
        views => views.All(v => v == hosts), TimeSpan.FromSeconds(10), $"every emulator to place {ActorTypes.Probe} on {hosts} hosts");

    /// <summary>The actors the placement table has on <paramref name="replica"/>.</summary>
    public async Task<IReadOnlyList<string>> PlacedOnAsync(Replica replica)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"select actor_id from {Schema}.placement_actors where host = @host", connection);
        command.Parameters.AddWithValue("host", replica.Sidecar.ToString().TrimEnd('/'));
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        return ids;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas) await replica.DisposeAsync();
    }
}

/// <summary>One app replica and its emulator.</summary>
public sealed class Replica(Uri sidecar, IAsyncDisposable sidecarHost, ActorTestApp app) : IAsyncDisposable
{
    private bool _stopped;

    public Uri Sidecar { get; } = sidecar;

    public bool Running => !_stopped;

    public IProbeActor Probe(string id) => ActorProxy.Create<IProbeActor>(new ActorId(id), ActorTypes.Probe, new ActorProxyOptions
    {
        HttpEndpoint = Sidecar.ToString(),
        DaprApiToken = PlacementCluster.ApiToken,
        RequestTimeout = TimeSpan.FromSeconds(30),
    });

    /// <summary>How many Probe actors this emulator reports active (<c>GET /v1.0/metadata</c>).</summary>
    public async Task<int> ActiveProbesAsync() =>
        (await MetadataAsync()).Actors.Where(a => a.Type == ActorTypes.Probe).Sum(a => a.Count);

    /// <summary>On how many hosts this emulator places Probe actors (its metadata's <c>extended</c>).</summary>
    public async Task<int> ProbeHostsAsync() =>
        (await MetadataAsync()).Extended.GetValueOrDefault($"placement:{ActorTypes.Probe}", "").Split(',', StringSplitOptions.RemoveEmptyEntries).Length;

    private async Task<MetadataReply> MetadataAsync()
    {
        using var http = new HttpClient { BaseAddress = Sidecar, DefaultRequestHeaders = { { "dapr-api-token", PlacementCluster.ApiToken } } };
        return (await http.GetFromJsonAsync<MetadataReply>("/v1.0/metadata"))!;
    }

    /// <summary>Stops app and emulator: gracefully for an in-process emulator, kill -9 for a process.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await sidecarHost.DisposeAsync();
        await app.DisposeAsync();
    }

    private sealed record MetadataReply(IReadOnlyList<ActorCount> Actors, Dictionary<string, string> Extended);

    private sealed record ActorCount(string Type, int Count);
}
