using Dapr.Actors;
using Dapr.Actors.Client;
using Dapr.Actors.Runtime;
using Personalization.DaprSidecar.Tests.Conformance.TestApp;
using Personalization.TestSupport;

namespace Personalization.DaprSidecar.Tests.Conformance;

/// <summary>
/// Once per run: a throw-away database, the emulator, and a real Dapr.Actors app. A second app is configured from the
/// start but only started by the test about apps that come up late. Timings are short so the suite stays fast.
/// </summary>
[SetUpFixture]
public sealed class ConformanceEnvironment
{
    public const string ApiToken = "sidecar-token";
    public const string AppToken = "app-token";
    public static readonly TimeSpan TurnTimeout = TimeSpan.FromSeconds(1.5);

    private static TestDatabase? _database;

    public static InProcessSidecar Sidecar { get; private set; } = null!;
    public static ActorTestApp App { get; private set; } = null!;
    public static RawActorApp RawApp { get; private set; } = null!;
    public static ActorTestApp JsonApp { get; private set; } = null!;
    public static Uri LateAppAddress { get; private set; } = null!;

    public static ActorProxyOptions ProxyOptions => new()
    {
        HttpEndpoint = Sidecar.Address.ToString(),
        DaprApiToken = ApiToken,
        RequestTimeout = TimeSpan.FromSeconds(30),
    };

    public static HttpClient SidecarHttp() => new()
    {
        BaseAddress = Sidecar.Address,
        DefaultRequestHeaders = { { "dapr-api-token", ApiToken } },
        Timeout = TimeSpan.FromSeconds(30),
    };

    public static IProbeActor Probe(string id, string type = ActorTypes.Probe) =>
        ActorProxy.Create<IProbeActor>(new ActorId(id), type, ProxyOptions);

    public static string NewId() => Guid.NewGuid().ToString("N")[..12];

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync("dapr_sidecar");
        var sidecarAddress = new Uri($"http://127.0.0.1:{InProcessSidecar.FreePort()}");
        var appAddress = new Uri($"http://127.0.0.1:{InProcessSidecar.FreePort()}");
        LateAppAddress = new Uri($"http://127.0.0.1:{InProcessSidecar.FreePort()}");
        var rawAppAddress = new Uri($"http://127.0.0.1:{InProcessSidecar.FreePort()}");
        var jsonAppAddress = new Uri($"http://127.0.0.1:{InProcessSidecar.FreePort()}");

        Sidecar = new InProcessSidecar(sidecarAddress, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = _database.ConnectionString,
            ["Sidecar:Apps:0"] = appAddress.ToString(),
            ["Sidecar:Apps:1"] = LateAppAddress.ToString(),
            ["Sidecar:Apps:2"] = rawAppAddress.ToString(),
            ["Sidecar:Apps:3"] = jsonAppAddress.ToString(),
            ["Sidecar:ApiToken"] = ApiToken,
            ["Sidecar:AppApiToken"] = AppToken,
            ["Sidecar:DiscoveryInterval"] = "00:00:00.500",
            ["Sidecar:IdleScanInterval"] = "00:00:00.100",
            ["Sidecar:TurnTimeout"] = TurnTimeout.ToString(),
            ["Sidecar:ReminderPollInterval"] = "00:00:01",
            ["Sidecar:ReminderRetryDelay"] = "00:00:00.200",
        });
        // The emulator first, as in a local run: the app comes up after it and is discovered then.
        await Sidecar.StartAsync();
        App = await ActorTestApp.StartAsync(appAddress, Sidecar.Address, ApiToken, AppToken, ActorTypes.RegisterMain);
        RawApp = await RawActorApp.StartAsync(rawAppAddress);
        JsonApp = await ActorTestApp.StartAsync(jsonAppAddress, Sidecar.Address, ApiToken, AppToken, ActorTypes.RegisterJson);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (App is not null) await App.DisposeAsync();
        if (RawApp is not null) await RawApp.DisposeAsync();
        if (JsonApp is not null) await JsonApp.DisposeAsync();
        if (Sidecar is not null) await Sidecar.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}

/// <summary>The actor types the test apps host, and how each is configured.</summary>
public static class ActorTypes
{
    public const string Probe = "Probe";
    public const string ShortLivedProbe = "ShortLivedProbe";
    public const string PingPong = "PingPong";
    public const string ReentrantPingPong = "ReentrantPingPong";
    public const string LateProbe = "LateProbe";
    public const string JsonProbe = "JsonProbe";

    public const int ReentrantMaxStackDepth = 2;
    public static readonly TimeSpan ShortIdleTimeout = TimeSpan.FromMilliseconds(600);

    public static void RegisterMain(ActorRuntimeOptions options)
    {
        options.Actors.RegisterActor<ProbeActor>(Probe);
        options.Actors.RegisterActor<ProbeActor>(ShortLivedProbe, new ActorRuntimeOptions { ActorIdleTimeout = ShortIdleTimeout });
        options.Actors.RegisterActor<PingPongActor>(PingPong);
        options.Actors.RegisterActor<PingPongActor>(ReentrantPingPong, new ActorRuntimeOptions
        {
            ReentrancyConfig = new ActorReentrancyConfig { Enabled = true, MaxStackDepth = ReentrantMaxStackDepth },
        });
    }

    /// <summary>Remoting with JSON bodies instead of DataContract, as the services configure it (ActorHosting).</summary>
    public static void RegisterJson(ActorRuntimeOptions options)
    {
        options.UseJsonSerialization = true;
        options.Actors.RegisterActor<ProbeActor>(JsonProbe);
    }

    public static void RegisterLate(ActorRuntimeOptions options) => options.Actors.RegisterActor<ProbeActor>(LateProbe);
}
