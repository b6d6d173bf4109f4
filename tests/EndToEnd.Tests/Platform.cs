using MassTransit;
using System.Net.Http.Headers;
using System.Text;
using Personalization.Contracts.V1;
using Personalization.TestSupport;

namespace Personalization.EndToEnd.Tests;

/// <summary>
/// The platform as a user runs it: ingestion API, ingestion relay, the Dapr sidecar emulator and segmentation as
/// real processes on loopback, over the real PostgreSQL and RabbitMQ, in a database of this run's own.
/// </summary>
[SetUpFixture]
public class Platform
{
    public const string WriteKey = "e2e-write-key";
    public const string AdminToken = "e2e-admin-token";
    public const string ReadToken = "e2e-read-token";

    public static string Tenant { get; } = "e2e-" + Guid.NewGuid().ToString("N")[..12];
    public static TestDatabase Database { get; private set; } = null!;
    public static ServiceProcess Ingestion { get; private set; } = null!;
    public static ServiceProcess Segmentation { get; private set; } = null!;
    public static ServiceProcess Relay { get; private set; } = null!;
    public static ServiceProcess Sidecar { get; private set; } = null!;

    public static string RabbitMqConnectionString => _environment["ConnectionStrings__RabbitMQ"];

    /// <summary>The platform's settings, for tests that start a differently configured copy of a service.</summary>
    public static IReadOnlyDictionary<string, string> Settings => _environment;

    private static Dictionary<string, string> _environment = [];

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var infra = await LocalInfrastructure.EnsureStartedAsync();
        Database = await TestDatabase.CreateAsync("e2e");
        _environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = Database.ConnectionString,
            ["ConnectionStrings__RabbitMQ"] = infra.RabbitMqConnectionString,
            [$"Ingestion__WriteKeys__{WriteKey}"] = Tenant,
            [$"Segmentation__AccessTokens__{ReadToken}"] = Tenant,
            ["Admin__Token"] = AdminToken,
            ["Ingestion__MaxRequestBytes"] = "65536",
            ["Messaging__QueuePrefix"] = Tenant,
            ["Messaging__TemporaryQueues"] = "true",
        };

        (_sidecarPort, _segmentationPort) = (ServiceProcess.FreePort(), ServiceProcess.FreePort());
        _environment["DAPR_HTTP_PORT"] = _sidecarPort.ToString();

        Ingestion = await ServiceProcess.StartAsync("services/Ingestion", _environment);
        await StartActorsAsync("dapr_sidecar");
        Relay = await StartRelayAsync();
    }

    /// <summary>Where the sidecar keeps actor state in the platform's database.</summary>
    public static string ActorStateSchema { get; private set; } = "";

    private static int _sidecarPort;
    private static int _segmentationPort;

    /// <summary>The sidecar and Segmentation (which hosts the actors), with actor state in <paramref name="stateSchema"/>.</summary>
    private static async Task StartActorsAsync(string stateSchema)
    {
        ActorStateSchema = stateSchema;
        Sidecar = await ServiceProcess.StartAsync(
            "tools/DaprSidecar",
            new Dictionary<string, string>(_environment)
            {
                ["Sidecar__Apps__0"] = $"http://127.0.0.1:{_segmentationPort}",
                ["Sidecar__Schema"] = stateSchema,
            },
            _sidecarPort,
            readinessPath: "/v1.0/healthz");
        Segmentation = await ServiceProcess.StartAsync("services/Segmentation", _environment, _segmentationPort);
    }

    /// <summary>Restarts the actor side with empty actor state, as after losing the state store.</summary>
    public static async Task RestartActorsWithEmptyStateAsync()
    {
        await Segmentation.DisposeAsync();
        await Sidecar.DisposeAsync();
        await StartActorsAsync("dapr_sidecar_" + Guid.NewGuid().ToString("N")[..8]);
    }

    public static Task<ServiceProcess> StartRelayAsync() =>
        ServiceProcess.StartAsync("services/Ingestion", new Dictionary<string, string>(_environment) { ["Ingestion__Role"] = "Relay" });

    public static async Task RestartRelayAsync(Func<Task> whileStopped)
    {
        await Relay.DisposeAsync();
        await whileStopped();
        Relay = await StartRelayAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        foreach (var service in new[] { Relay, Segmentation, Sidecar, Ingestion })
            if (service is not null) await service.DisposeAsync();
        if (Database is not null) await Database.DisposeAsync();
    }

    /// <summary>Runs a command-line verb of a service with the platform's settings, and returns its output.</summary>
    public static Task<string> RunVerbAsync(string project, params string[] args) => ServiceProcess.RunToEndAsync(project, _environment, args);

    /// <summary>A call to the admin API, with the admin token unless another is given.</summary>
    public static HttpRequestMessage Admin(HttpMethod method, string path, object? body = null, string token = AdminToken)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : System.Net.Http.Json.JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    public static HttpRequestMessage Post(string path, string json, string? writeKey = WriteKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (writeKey is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
        return request;
    }

    public static Task<long> StoredEventCountAsync(string userId) =>
        Database.ScalarAsync<long>("select count(*) from ingestion.mt_events where stream_id = @stream", ("stream", $"{Tenant}/user:{userId}"));

    /// <summary>Publishes messages straight to RabbitMQ, as the relay would (or as a redelivery does).</summary>
    public static async Task PublishAsync(params EventRecorded[] messages)
    {
        var uri = new Uri(RabbitMqConnectionString);
        var credentials = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2);
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(uri, h =>
        {
            h.Username(credentials[0]);
            h.Password(credentials[1]);
        }));
        await bus.StartAsync();
        try
        {
            foreach (var message in messages)
                await bus.Publish(message, context => context.MessageId = message.EventId);
        }
        finally
        {
            await bus.StopAsync();
        }
    }
}
