using MassTransit;
using System.Net.Http.Headers;
using System.Text;
using Personalization.Contracts.V1;
using Personalization.TestSupport;

namespace Personalization.EndToEnd.Tests;

/// <summary>
/// The platform as a user runs it: ingestion API, ingestion relay, the Dapr sidecar emulator, Segmentation and
/// Triggers as real processes on loopback, over the real PostgreSQL, RabbitMQ and SMTP server, in a database of
/// this run's own.
/// </summary>
[SetUpFixture]
public class Platform
{
    public const string WriteKey = "e2e-write-key";
    public const string AdminToken = "e2e-admin-token";
    public const string ReadToken = "e2e-read-token";
    public const string RecommendationToken = "e2e-recommendation-read-token";
    public const string SidecarApiToken = "e2e-dapr-api-token";
    public const string AppApiToken = "e2e-app-api-token";
    public const string WebhookSecret = "e2e-webhook-signing-secret";

    /// <summary>How many messages Triggers' sender has in flight at most (its <c>Delivery:Batch</c>).</summary>
    public const int TriggersSendsInFlight = 32;

    public static string Tenant { get; } = "e2e-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>
    /// A second tenant, for tests whose answers are relative to everything a tenant holds (RFM quantiles, clusters),
    /// so other tests' events cannot shift them; <see cref="IsolatedReadToken"/> reads it.
    /// </summary>
    public static string IsolatedTenant { get; } = Tenant + "-isolated";
    public const string IsolatedReadToken = "e2e-isolated-read-token";

    /// <summary>Where the API documents' example bodies are sent, so they touch no other test's data; <see cref="ExamplesReadToken"/> reads it.</summary>
    public static string ExamplesTenant { get; } = Tenant + "-examples";
    public const string ExamplesReadToken = "e2e-examples-read-token";

    /// <summary>Triggers' VAPID key pair for Web Push, made for the run: the public key (base64url, uncompressed P-256).</summary>
    public static string VapidPublicKey => VapidKeys.Public;

    private static readonly (string Public, string Private) VapidKeys = NewVapidKeys();
    public static TestDatabase Database { get; private set; } = null!;

    /// <summary>Where the services' spans, metrics and logs go (OTLP/HTTP).</summary>
    public static OtlpReceiver Otlp { get; private set; } = null!;
    public static ServiceProcess Ingestion => _processes.Ingestion;
    public static ServiceProcess Segmentation => _processes.Segmentation;
    public static ServiceProcess Triggers => _processes.Triggers;
    public static ServiceProcess Relay => _processes.Relay;
    public static ServiceProcess Sidecar => _processes.Sidecar;

    /// <summary>Where Recommendation runs while a test has started it (<see cref="StartRecommendationAsync"/>).</summary>
    public static Uri RecommendationAddress => _processes.RecommendationAddress;

    public static string RabbitMqConnectionString => Settings["ConnectionStrings__RabbitMQ"];

    /// <summary>The platform's settings, for tests that start a differently configured copy of a service.</summary>
    public static IReadOnlyDictionary<string, string> Settings => _processes.Settings;

    /// <summary>Where the sidecar keeps actor state in the platform's database.</summary>
    public static string ActorStateSchema => _processes.ActorStateSchema;

    private static PlatformProcesses _processes = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var infra = await LocalInfrastructure.EnsureStartedAsync();
        Database = await TestDatabase.CreateAsync("e2e");
        Otlp = new OtlpReceiver();
        _processes = await PlatformProcesses.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = Database.ConnectionString,
            ["ConnectionStrings__RabbitMQ"] = infra.RabbitMqConnectionString,
            [$"Ingestion__WriteKeys__{WriteKey}"] = Tenant,
            // Triggers posts the feedback of its messages (deliveries, opens, clicks) back as the tenant's events.
            [$"Feedback__WriteKeys__{Tenant}"] = WriteKey,
            [$"Segmentation__AccessTokens__{ReadToken}"] = Tenant,
            [$"Segmentation__AccessTokens__{IsolatedReadToken}"] = IsolatedTenant,
            // Triggers reads broadcast segments' members from Segmentation with the same token.
            [$"Segmentation__Tokens__{Tenant}"] = ReadToken,
            // Triggers asks Recommendation (when a test starts it) for the tenant's recommendations with this token.
            [$"Recommendation__AccessTokens__{RecommendationToken}"] = Tenant,
            [$"Segmentation__AccessTokens__{ExamplesReadToken}"] = ExamplesTenant,
            [$"Recommendation__AccessTokens__{ExamplesReadToken}"] = ExamplesTenant,
            [$"Recommendation__Tokens__{Tenant}"] = RecommendationToken,
            ["Admin__Token"] = AdminToken,
            ["Ingestion__MaxRequestBytes"] = "65536",
            ["Email__Smtp__Host"] = infra.Environment["Email__Smtp__Host"],
            ["Email__Smtp__Port"] = infra.Environment["Email__Smtp__Port"],
            ["Email__Smtp__Username"] = infra.Environment["Email__Smtp__Username"],
            ["Email__Smtp__Password"] = infra.Environment["Email__Smtp__Password"],
            ["Links__Secret"] = "the-end-to-end-tests-link-secret-0123456789",
            ["Webhooks__Secret"] = WebhookSecret,
            ["Delivery__Batch"] = TriggersSendsInFlight.ToString(),
            ["Push__PublicKey"] = VapidKeys.Public,
            ["Push__PrivateKey"] = VapidKeys.Private,
            ["Push__Subject"] = "mailto:e2e@example.com",
            ["Messaging__QueuePrefix"] = Tenant,
            ["Messaging__TemporaryQueues"] = "true",
            // Read by the sidecar (its own API's token, and the one it sends to Segmentation) and by Segmentation.
            ["DAPR_API_TOKEN"] = SidecarApiToken,
            ["APP_API_TOKEN"] = AppApiToken,
            // Every service exports its telemetry to the receiver the tracing tests read: spans every half second, metrics every second.
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Otlp.Url,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "500",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
        });
    }

    private static (string Public, string Private) NewVapidKeys()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var parameters = key.ExportParameters(true);
        return (System.Buffers.Text.Base64Url.EncodeToString([0x04, .. parameters.Q.X!, .. parameters.Q.Y!]), System.Buffers.Text.Base64Url.EncodeToString(parameters.D));
    }

    /// <summary>Restarts the actor side with empty actor state, as after losing the state store.</summary>
    public static Task RestartActorsWithEmptyStateAsync() => _processes.RestartActorsWithEmptyStateAsync();

    public static Task RestartRelayAsync(Func<Task> whileStopped) => _processes.RestartRelayAsync(whileStopped);

    public static Task KillTriggersAsync(Func<Task> whileStopped) => _processes.KillTriggersAsync(whileStopped);

    public static Task KillSidecarAsync(Func<Task> whileStopped) => _processes.KillSidecarAsync(whileStopped);

    /// <summary>Starts Recommendation where the platform's Triggers asks for recommendations; the caller stops it.</summary>
    public static Task<ServiceProcess> StartRecommendationAsync(IReadOnlyDictionary<string, string> settings) => _processes.StartRecommendationAsync(settings);

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_processes is not null) await _processes.DisposeAsync();
        if (Database is not null) await Database.DisposeAsync();
        Otlp?.Dispose();
    }

    /// <summary>Runs a command-line verb of a service with the platform's settings, and returns its output.</summary>
    public static Task<string> RunVerbAsync(string project, params string[] args) => ServiceProcess.RunToEndAsync(project, Settings, args);

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

    /// <summary>Publishes each event in a message of its own straight to RabbitMQ, as a redelivery of it would.</summary>
    public static Task PublishAsync(params EventRecorded[] events) =>
        PublishAsync(events.Select(e => new EventsRecorded([e])).ToArray());

    /// <summary>Publishes messages straight to RabbitMQ, as the relay would (or as a redelivery does).</summary>
    public static async Task PublishAsync(params EventsRecorded[] messages)
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
                await bus.Publish(message);
        }
        finally
        {
            await bus.StopAsync();
        }
    }
}
