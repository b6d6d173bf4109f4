using Personalization.EndToEnd.Tests;
using Personalization.TestSupport;

namespace Personalization.EndToEnd.Outages;

/// <summary>
/// The platform over a PostgreSQL cluster and a RabbitMQ node of its own (other ports, data in .infra/instances/outage),
/// so that the tests here can kill them without disturbing the rest of the suite. They run in a phase of their own
/// (category <see cref="Category"/>, see test.sh), since killing servers under load also takes the machine's time.
/// Every process gets a proxy that records any connection, so a call home shows.
/// </summary>
[SetUpFixture]
public class OutagePlatform
{
    public const string Category = "Outage";
    public const string WriteKey = "outage-write-key";
    public const string ReadToken = "outage-read-token";
    public const string AdminToken = "outage-admin-token";
    public const string SidecarApiToken = "outage-dapr-api-token";

    /// <summary>Short, so a stall shows within seconds (the default is 30 s).</summary>
    public static readonly TimeSpan StallAfter = TimeSpan.FromSeconds(3);

    public static string Tenant { get; } = "outage-" + Guid.NewGuid().ToString("N")[..8];
    public static InfraInstance Infra { get; } = InfraInstance.Own("outage", postgresPort: 55452, rabbitMqPort: 55692);
    public static PlatformProcesses Processes { get; private set; } = null!;
    public static TestDatabase Database { get; private set; } = null!;
    public static ConnectionTrap CallsHome { get; private set; } = null!;
    public static DateTime StartedAt { get; private set; }

    private static readonly string VirtualHost = Tenant;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var infra = await Infra.UpAsync();
        Database = await TestDatabase.CreateAsync("outage", infra.PostgresConnectionString);
        var broker = await Infra.AddVirtualHostAsync(VirtualHost);
        CallsHome = ConnectionTrap.Start();
        StartedAt = DateTime.UtcNow;
        Processes = await PlatformProcesses.StartAsync(
            new Dictionary<string, string>
            {
                ["ConnectionStrings__Postgres"] = Database.ConnectionString,
                // Durable queues (the default): their messages must outlive the broker's restart.
                ["ConnectionStrings__RabbitMQ"] = broker,
                [$"Ingestion__WriteKeys__{WriteKey}"] = Tenant,
                [$"Segmentation__AccessTokens__{ReadToken}"] = Tenant,
                ["Admin__Token"] = AdminToken,
                ["DAPR_API_TOKEN"] = SidecarApiToken,
                ["APP_API_TOKEN"] = "outage-app-api-token",
                ["HTTP_PROXY"] = CallsHome.ProxyUrl,
                ["HTTPS_PROXY"] = CallsHome.ProxyUrl,
                ["ALL_PROXY"] = CallsHome.ProxyUrl,
                ["NO_PROXY"] = "127.0.0.1,localhost",
            },
            relaySettings: new Dictionary<string, string>
            {
                ["Ingestion__Relay__StallAfter"] = StallAfter.ToString(),
                ["Ingestion__Relay__LagSampleInterval"] = "00:00:00.250",
                // The tests read what the relay tells of each outage and recovery.
                ["Logging__LogLevel__Personalization.Ingestion.Relay"] = "Information",
            },
            // As in production: Segmentation replicas with their sidecars can be added (ScaleOutTests).
            placement: true);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (Processes is not null) await Processes.DisposeAsync();
        CallsHome?.Dispose();
        // Whatever a test left broken is started again, so the clean-up below can run.
        await Infra.UpAsync();
        await Infra.DropVirtualHostAsync(VirtualHost);
        if (Database is not null) await Database.DisposeAsync();
        await Infra.DownAsync();
    }
}
