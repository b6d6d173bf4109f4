using System.Diagnostics;
using System.Text.Json;
using JasperFx;
using Marten;
using Personalization.Contracts;
using Personalization.Contracts.EventLog;
using Personalization.Ingestion.Storage;
using Weasel.Core;

namespace Personalization.IngestionLoad;

/// <summary>
/// Raw Marten batched append into the same database and event-store layout as the service (quick append, string
/// stream ids, <see cref="EventAccepted"/> events of the same size): the ceiling the service's rate is compared with.
/// No HTTP, no parsing, no dedup claim.
/// </summary>
public sealed class MartenAppend(string connectionString, string runId, int users) : IDisposable
{
    private readonly DocumentStore _store = DocumentStore.For(options =>
    {
        options.Connection(connectionString);
        options.DatabaseSchemaName = IngestionStore.Schema;
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString);
        options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        IngestionStore.ConfigureMarten(options);
    });

    public sealed record Result(string Shape, int Writers, int EventsPerSave, long Events, TimeSpan Elapsed)
    {
        public double EventsPerSecond => Events / Elapsed.TotalSeconds;

        public override string ToString() =>
            $"raw Marten, {Shape}, {Writers} writer(s), {EventsPerSave} events per SaveChanges: {EventsPerSecond:N0} events/s ({Events:N0} events in {Elapsed.TotalSeconds:F1}s)";
    }

    /// <param name="oneStreamPerSave">
    /// true: every SaveChanges appends all its events to one stream (the shape of ARCHITECTURE.md's figures);
    /// false: each event goes to a user drawn from the whole pool, as the service's commits do. Writers own disjoint
    /// users, as the service's commit loops own disjoint streams: two transactions appending to one stream at once
    /// collide on mt_streams/mt_events keys in Marten's quick append.
    /// </param>
    public async Task<Result> RunAsync(int writers, int eventsPerSave, bool oneStreamPerSave, long maxEvents, TimeSpan maxDuration)
    {
        var tenant = $"raw-{runId}-{(oneStreamPerSave ? "one" : "many")}-{writers}";
        var clock = Stopwatch.StartNew();
        var appended = 0L;
        var claimed = 0L;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(async writer =>
        {
            var random = new Random(writer + 1_000);
            var message = 0L;
            while (clock.Elapsed < maxDuration && Interlocked.Add(ref claimed, eventsPerSave) <= maxEvents)
            {
                await using var session = _store.LightweightSession();
                var singleUser = $"w{writer}-s{message}";
                var events = new List<EventAccepted>(eventsPerSave);
                for (var i = 0; i < eventsPerSave; i++)
                    events.Add(Event(tenant, oneStreamPerSave ? singleUser : $"u{random.Next(users / writers) * writers + writer}", $"{tenant}-{writer}-{message++}", random));
                foreach (var stream in events.GroupBy(e => e.StreamKey))
                    session.Events.Append(stream.Key.ToString(), stream.ToArray<object>());
                await session.SaveChangesAsync();
                Interlocked.Add(ref appended, eventsPerSave);
            }
        }));
        return new Result(oneStreamPerSave ? "one stream per SaveChanges" : "users drawn from the pool (service-like)", writers, eventsPerSave, appended, clock.Elapsed);
    }

    // The same shape the service stores for one of BatchBodies' messages: the parsed fields plus the whole message.
    private static EventAccepted Event(string tenant, string user, string messageId, Random random)
    {
        var now = DateTimeOffset.UtcNow;
        var product = random.Next(10_000);
        var payload = JsonSerializer.SerializeToElement(new Dictionary<string, object>
        {
            ["type"] = "track",
            ["event"] = "Product Viewed",
            ["userId"] = user,
            ["messageId"] = messageId,
            ["timestamp"] = now,
            ["properties"] = new { product_id = $"sku-{product}", price = 5 + product % 200, currency = "EUR" },
            ["context"] = new { ip = "203.0.113.7", library = new { name = "IngestionLoad", version = "1.0" } },
        });
        return new EventAccepted(tenant, "default", messageId, EventTypes.Track, "Product Viewed", user, null, now, now, payload);
    }

    public void Dispose() => _store.Dispose();
}
