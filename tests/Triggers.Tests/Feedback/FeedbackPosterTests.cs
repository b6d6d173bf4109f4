using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Personalization.TestSupport;
using Personalization.Triggers.Feedback;

namespace Personalization.Triggers.Tests.Feedback;

/// <summary>
/// The feedback poster against a real HTTP endpoint that answers as ingestion does to what it will not take (413 for
/// a body over its limit, 400 for an event it refuses), over a PostgreSQL database of the fixture's own.
/// </summary>
public class FeedbackPosterTests
{
    private const int LargestBatch = 3;
    private TestDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;
    private WebApplication _ingestion = null!;
    private readonly ConcurrentDictionary<string, string> _stored = new();

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync("feedback");
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{ServiceProcess.FreePort()}");
        _ingestion = builder.Build();
        _ingestion.MapPost("/v1/batch", async (HttpRequest request) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            var batch = body.RootElement.GetProperty("batch").EnumerateArray().ToList();
            if (batch.Count > LargestBatch) return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            if (batch.Any(e => e.GetProperty("event").GetString() == "Poison")) return Results.Problem("an event it refuses", statusCode: 400);
            foreach (var e in batch) _stored[e.GetProperty("messageId").GetString()!] = e.GetProperty("event").GetString()!;
            return Results.Ok();
        });
        await _ingestion.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _ingestion.DisposeAsync();
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Test]
    public async Task A_batch_too_large_is_halved_and_an_event_ingestion_refuses_is_set_aside_without_holding_back_the_rest()
    {
        var store = new FeedbackStore(_dataSource, new TriggersSchema(_dataSource));
        var at = DateTimeOffset.UtcNow;
        var names = Enumerable.Range(0, 10).Select(n => n == 4 ? "Poison" : "Email Opened").ToList();
        for (var n = 0; n < names.Count; n++)
            await store.AddAsync(new FeedbackEvent($"m-{n}", "shop", "ann", names[n], JsonSerializer.SerializeToElement(new { n }), at.AddMilliseconds(n)), CancellationToken.None);

        using var clients = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var settings = Options.Create(new FeedbackSettings { IngestionUrl = new Uri(_ingestion.Urls.Single()), WriteKeys = { ["shop"] = "shop-write-key" } });
        using var poster = new FeedbackPoster(store, clients.GetRequiredService<IHttpClientFactory>(), settings, TimeProvider.System, NullLogger<FeedbackPoster>.Instance);
        await poster.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.ReturnsAsync(() => Task.FromResult(_stored.Count), count => count == 9, TimeSpan.FromSeconds(20), "every event but the refused one");
            var refused = await Eventually.ReturnsAsync(() => _database.ScalarAsync<string?>("select refused from triggers.feedback where message_id = 'm-4'"),
                reason => reason is not null, TimeSpan.FromSeconds(10), "the refused event to be set aside");
            Assert.That(refused, Does.Contain("400"));
            Assert.That(_stored.Keys, Is.EquivalentTo(Enumerable.Range(0, 10).Where(n => n != 4).Select(n => $"m-{n}")));
            Assert.That(await _database.ScalarAsync<long>("select count(*) from triggers.feedback where posted_at is null"), Is.Zero);
        }
        finally
        {
            await poster.StopAsync(CancellationToken.None);
        }
    }
}
