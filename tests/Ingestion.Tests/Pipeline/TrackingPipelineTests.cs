using System.Text;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Personalization.Ingestion.Pipeline;
using Personalization.Ingestion.Sources;
using Personalization.Ingestion.TrackingPlans;
using Personalization.Ingestion.Validation;
using Personalization.TestSupport;

namespace Personalization.Ingestion.Tests.Pipeline;

/// <summary>
/// The tracking pipeline as the API node wires it, against real PostgreSQL, without HTTP: what a parsed batch
/// becomes (stored, dead-lettered, rejected) is decided here, the endpoint only answers it.
/// </summary>
public class TrackingPipelineTests
{
    private TestDatabase _database = null!;
    private WebApplication _app = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var infra = await LocalInfrastructure.EnsureStartedAsync();
        _database = await TestDatabase.CreateAsync("ingestion_pipeline");
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["ConnectionStrings:Postgres"] = _database.ConnectionString;
        builder.Configuration["ConnectionStrings:RabbitMq"] = infra.RabbitMqConnectionString;
        builder.Configuration["Messaging:TemporaryQueues"] = "true";
        builder.AddIngestion();
        _app = builder.Build();
        await _app.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    private TrackingPipeline Pipeline => _app.Services.GetRequiredService<TrackingPipeline>();

    private static string NewTenant() => "t" + Guid.NewGuid().ToString("N")[..12];

    private static ParseResult Batch(EventOrigin origin, params string[] messages) =>
        SegmentMessageParser.ParseBatch(Encoding.UTF8.GetBytes($$"""{"batch":[{{string.Join(",", messages)}}]}"""), origin);

    private static string Track(string id) => $$"""{"type":"track","event":"Product Viewed","userId":"u-{{id}}","messageId":"{{id}}"}""";

    private const string NoUser = """{"type":"track","event":"Product Viewed","messageId":"no-user"}""";

    private Task<long> StoredAsync(string tenant) =>
        _database.ScalarAsync<long>("select count(*) from ingestion.mt_events where stream_id like @prefix", ("prefix", tenant + "/%"));

    private async Task<int> DeadLettersAsync(string tenant)
    {
        await using var session = _app.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Query<DeadLetter>().CountAsync(d => d.TenantId == tenant);
    }

    [Test]
    public async Task Batch_with_an_invalid_message_stores_the_rest_and_dead_letters_it()
    {
        var tenant = NewTenant();
        var origin = new EventOrigin(tenant, "web", DateTimeOffset.UtcNow);

        var result = await Pipeline.RunAsync(Batch(origin, Track("a"), NoUser, Track("b")), origin, CancellationToken.None);

        var accepted = result as TrackingResult.Accepted;
        Assert.That(accepted, Is.Not.Null, $"{result}");
        Assert.Multiple(() =>
        {
            Assert.That((accepted!.Stored, accepted.Duplicates, accepted.Invalid, accepted.DeadLettered), Is.EqualTo((2, 0, 1, 1)));
            Assert.That(accepted.Errors!.Keys, Is.EquivalentTo(new[] { "batch[1]" }));
        });
        Assert.That(await StoredAsync(tenant), Is.EqualTo(2));
        Assert.That(await DeadLettersAsync(tenant), Is.EqualTo(1));

        var again = await Pipeline.RunAsync(Batch(origin, Track("a"), Track("b")), origin, CancellationToken.None);
        Assert.That(again, Is.EqualTo(new TrackingResult.Accepted(0, 2, 0)), "a resent batch is deduplicated");
    }

    [Test]
    public async Task Strict_source_batch_with_an_invalid_message_is_rejected_whole()
    {
        var tenant = NewTenant();
        await using (var session = _app.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            session.Store(new Source(Source.IdFor(tenant, "server"), tenant, "server", "Server", DateTimeOffset.UtcNow, StrictBatches: true));
            await session.SaveChangesAsync();
        }
        var origin = new EventOrigin(tenant, "server", DateTimeOffset.UtcNow);

        var result = await Pipeline.RunAsync(Batch(origin, Track("a"), NoUser), origin, CancellationToken.None);

        Assert.That(result, Is.TypeOf<TrackingResult.Rejected>());
        Assert.That(((TrackingResult.Rejected)result).Errors.Keys, Is.EquivalentTo(new[] { "batch[1]" }));
        Assert.That(await StoredAsync(tenant), Is.Zero);
        Assert.That(await DeadLettersAsync(tenant), Is.Zero);
    }

    [Test]
    public async Task A_replayed_message_is_prepared_as_a_live_one_so_a_linked_anonymous_id_goes_to_its_person()
    {
        var tenant = NewTenant();
        var origin = new EventOrigin(tenant, "web", DateTimeOffset.UtcNow);
        var login = """{"type":"identify","userId":"ada","anonymousId":"anon-1","messageId":"login"}""";
        Assert.That(await Pipeline.RunAsync(Batch(origin, login), origin, CancellationToken.None), Is.TypeOf<TrackingResult.Accepted>());

        // As if the parser had refused it once and has been fixed since: the raw message waits as a dead letter.
        var raw = """{"type":"track","event":"Product Viewed","anonymousId":"anon-1","messageId":"late"}""";
        await using (var session = _app.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            session.Store(new DeadLetter(Guid.NewGuid(), tenant, "web", 0, null, ["was invalid"], Raw: raw, ReceivedAt: origin.ReceivedAt));
            await session.SaveChangesAsync();
        }

        var replay = await _app.Services.GetRequiredService<DeadLetters>().ReplayAsync(tenant, null, CancellationToken.None);

        Assert.That((replay.Replayed, replay.Stored), Is.EqualTo((1, 1)));
        Assert.That(await _database.ScalarAsync<long>("select count(*) from ingestion.mt_events where stream_id = @stream", ("stream", $"{tenant}/user:ada")),
            Is.EqualTo(2), "the replayed view is in Ada's stream, as it would have been live");
    }
}
