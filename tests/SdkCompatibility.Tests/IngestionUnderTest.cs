using System.Collections.Concurrent;
using System.Text.Json;
using Npgsql;
using Personalization.TestSupport;

namespace Personalization.SdkCompatibility.Tests;

/// <summary>
/// The SDKs installed, and the real Ingestion API as a process over a database of this run's own, with a pool of
/// write keys: each test publishes with a key of its own, so it reads back only its own tenant's events.
/// </summary>
[SetUpFixture]
public sealed class IngestionUnderTest
{
    private const int WriteKeys = 16;
    private static readonly ConcurrentQueue<Publisher> Unused = new();

    public static ServiceProcess Ingestion { get; private set; } = null!;
    private static TestDatabase? _database;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        await NodeSdks.EnsureInstalledAsync();
        _database = await TestDatabase.CreateAsync("sdk");
        try
        {
            (Ingestion, var publishers) = await StartIngestionAsync(WriteKeys, new Dictionary<string, string>());
            foreach (var publisher in publishers)
                Unused.Enqueue(publisher);
        }
        catch
        {
            await _database.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// An Ingestion process on this run's database with <paramref name="settings"/> added, and write keys of its own;
    /// the caller disposes it. Several replicas may share a database.
    /// </summary>
    public static async Task<(ServiceProcess Ingestion, IReadOnlyList<Publisher> Publishers)> StartIngestionAsync(
        int writeKeys, IReadOnlyDictionary<string, string> settings)
    {
        var infrastructure = await LocalInfrastructure.EnsureStartedAsync();
        var environment = new Dictionary<string, string>(settings)
        {
            ["ConnectionStrings__Postgres"] = _database!.ConnectionString,
            ["ConnectionStrings__RabbitMQ"] = infrastructure.RabbitMqConnectionString,
        };
        var publishers = new List<Publisher>();
        for (var i = 0; i < writeKeys; i++)
        {
            var publisher = new Publisher("sdk-key-" + Guid.NewGuid().ToString("N"), "sdk-" + Guid.NewGuid().ToString("N")[..12]);
            environment[$"Ingestion__WriteKeys__{publisher.WriteKey}"] = publisher.Tenant;
            publishers.Add(publisher);
        }
        return (await ServiceProcess.StartAsync("services/Ingestion", environment), publishers);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (Ingestion is not null) await Ingestion.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    /// <summary>A write key (and so a tenant) no other test uses.</summary>
    public static Publisher NewPublisher() =>
        Unused.TryDequeue(out var publisher) ? publisher : throw new InvalidOperationException($"All {WriteKeys} write keys are taken; configure more.");

    /// <summary>Every event stored for the tenant, in log order, read straight from the event store.</summary>
    public static async Task<IReadOnlyList<StoredEvent>> StoredEventsAsync(string tenant)
    {
        await using var connection = new NpgsqlConnection(_database!.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select stream_id, data::text from ingestion.mt_events where starts_with(stream_id, @prefix) order by seq_id", connection);
        command.Parameters.AddWithValue("prefix", tenant + "/");

        var events = new List<StoredEvent>();
        await using var rows = await command.ExecuteReaderAsync();
        while (await rows.ReadAsync())
        {
            var data = JsonSerializer.Deserialize<StoredEventData>(rows.GetString(1), StoredJson)!;
            events.Add(new StoredEvent(rows.GetString(0), data.MessageId, data.Type, data.Name, data.UserId, data.AnonymousId, data.Timestamp, data.Payload));
        }
        return events;
    }

    /// <summary>How many dead letters the tenant has, read straight from the document store.</summary>
    public static async Task<long> DeadLetterCountAsync(string tenant)
    {
        await using var connection = new NpgsqlConnection(_database!.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select count(*) from ingestion.mt_doc_deadletter where coalesce(data->>'tenantId', data->>'TenantId') = @tenant", connection);
        command.Parameters.AddWithValue("tenant", tenant);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static readonly JsonSerializerOptions StoredJson = new() { PropertyNameCaseInsensitive = true };

    // The EventAccepted fields these tests check, as Marten stores them in mt_events.data.
    private sealed record StoredEventData(
        string MessageId, string Type, string? Name, string? UserId, string? AnonymousId, DateTimeOffset Timestamp, JsonElement Payload);
}

public sealed record Publisher(string WriteKey, string Tenant);

public sealed record StoredEvent(
    string StreamId, string MessageId, string Type, string? Name, string? UserId, string? AnonymousId, DateTimeOffset Timestamp, JsonElement Payload);
