using Personalization.Contracts.EventLog;
using Personalization.Ingestion.Storage;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Personalization.Contracts;
using Personalization.ServiceDefaults;
using Personalization.TestSupport;

namespace Personalization.Ingestion.Tests.Storage;

/// <summary>
/// The writer against the real PostgreSQL cluster, each test in its own tenant: once with the set-based append
/// (the default) and once through Marten's session, which stays available as a setting.
/// </summary>
[TestFixture(true)]
[TestFixture(false)]
public class GroupCommitWriterTests(bool setBasedAppend)
{
    private TestDatabase _database = null!;
    private IHost _host = null!;

    private GroupCommitWriter Writer => _host.Services.GetRequiredService<GroupCommitWriter>();

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync("ingestion_writer");
        _host = await StartHostAsync(_database.ConnectionString);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await _database.DisposeAsync();
    }

    private async Task<IHost> StartHostAsync(string connectionString)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:Postgres"] = connectionString;
        builder.Configuration["Ingestion:WriteKeys:test"] = "test";
        builder.Configuration["Ingestion:MaxEventsPerCommit"] = "300";
        builder.Configuration["Ingestion:SetBasedAppend"] = setBasedAppend.ToString();
        builder.AddMartenStore(IngestionStore.Schema, IngestionStore.ConfigureMarten);
        builder.AddGroupCommitWriter();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static EventAccepted Event(string tenant, string user, string messageId) => new(
        tenant, "web", messageId, EventTypes.Track, "Product Viewed", user, null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow,
        JsonSerializer.SerializeToElement(new { messageId, userId = user }));

    private Task<long> StoredCountAsync(string tenant) =>
        _database.ScalarAsync<long>("select count(*) from ingestion.mt_events where stream_id like @prefix", ("prefix", tenant + "/%"));

    [Test]
    public async Task Concurrent_requests_are_all_stored_in_their_users_streams()
    {
        var tenant = "t" + Guid.NewGuid().ToString("N");
        var requests = Enumerable.Range(0, 40)
            .Select(r => (IReadOnlyList<EventAccepted>)Enumerable.Range(0, 25).Select(i => Event(tenant, $"user-{(r * 25 + i) % 10}", $"m-{r}-{i}")).ToList())
            .ToList();

        var outcomes = await Task.WhenAll(requests.Select(r => Writer.AppendAsync(r, CancellationToken.None)));

        Assert.That(outcomes, Has.All.EqualTo(new AppendOutcome(25, 0)));
        Assert.That(await StoredCountAsync(tenant), Is.EqualTo(1_000));
        Assert.That(await _database.ScalarAsync<long>("select count(*) from ingestion.mt_streams where id like @prefix", ("prefix", tenant + "/%")), Is.EqualTo(10));
    }

    [Test]
    public async Task A_request_whose_data_the_database_refuses_fails_alone_and_the_rest_of_its_group_is_stored()
    {
        var tenant = "t" + Guid.NewGuid().ToString("N");
        // jsonb holds numbers as numeric, which overflows here; the parser refuses such input, the writer must cope too.
        var refused = Event(tenant, "user-p", "p-1") with { Payload = JsonDocument.Parse("""{"price":1e200000}""").RootElement.Clone() };
        // A full commit first keeps the loops busy, so the requests after it queue up into groups with the refused one.
        var first = Writer.AppendAsync(Enumerable.Range(0, 300).Select(i => Event(tenant, $"user-{i}", $"b-{i}")).ToList(), CancellationToken.None);
        var poisoned = Writer.AppendAsync([refused], CancellationToken.None);
        var others = Enumerable.Range(0, 40).Select(r => Writer.AppendAsync([Event(tenant, $"user-g{r}", $"g-{r}")], CancellationToken.None)).ToList();

        Assert.That(await first, Is.EqualTo(new AppendOutcome(300, 0)));
        var refusal = Assert.ThrowsAsync<EventsRefusedException>(() => poisoned);
        Assert.That(refusal!.Message, Does.Contain("value overflows numeric format"));
        Assert.That(await Task.WhenAll(others), Has.All.EqualTo(new AppendOutcome(1, 0)));
        Assert.That(await StoredCountAsync(tenant), Is.EqualTo(340));
    }

    [Test]
    public async Task Same_messages_sent_concurrently_are_stored_once()
    {
        var tenant = "t" + Guid.NewGuid().ToString("N");
        IReadOnlyList<EventAccepted> batch = Enumerable.Range(0, 10).Select(i => Event(tenant, "user", $"m-{i}")).ToList();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Writer.AppendAsync(batch, CancellationToken.None)));

        Assert.That(outcomes.Sum(o => o.Stored), Is.EqualTo(10));
        Assert.That(outcomes.Sum(o => o.Duplicates), Is.EqualTo(190));
        Assert.That(await StoredCountAsync(tenant), Is.EqualTo(10));
    }

    [Test]
    public async Task Same_message_id_in_another_tenant_is_not_a_duplicate()
    {
        var (first, second) = ("t" + Guid.NewGuid().ToString("N"), "t" + Guid.NewGuid().ToString("N"));

        var a = await Writer.AppendAsync([Event(first, "user", "shared-id")], CancellationToken.None);
        var b = await Writer.AppendAsync([Event(second, "user", "shared-id")], CancellationToken.None);

        Assert.That((a.Stored, b.Stored), Is.EqualTo((1, 1)));
    }

    [Test]
    public async Task Deduplication_survives_a_restart()
    {
        var tenant = "t" + Guid.NewGuid().ToString("N");
        IReadOnlyList<EventAccepted> batch = Enumerable.Range(0, 5).Select(i => Event(tenant, "user", $"m-{i}")).ToList();
        Assert.That(await Writer.AppendAsync(batch, CancellationToken.None), Is.EqualTo(new AppendOutcome(5, 0)));

        using var restarted = await StartHostAsync(_database.ConnectionString);
        var again = await restarted.Services.GetRequiredService<GroupCommitWriter>().AppendAsync(batch, CancellationToken.None);
        await restarted.StopAsync();

        Assert.That(again, Is.EqualTo(new AppendOutcome(0, 5)));
        Assert.That(await StoredCountAsync(tenant), Is.EqualTo(5));
    }

    [Test]
    public async Task A_users_stream_keeps_the_order_of_the_request()
    {
        var tenant = "t" + Guid.NewGuid().ToString("N");
        var batch = Enumerable.Range(0, 50).Select(i => Event(tenant, "user", $"m-{i:D2}")).ToList();

        await Writer.AppendAsync(batch, CancellationToken.None);

        await using var session = _host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var stream = await session.Events.FetchStreamAsync(StreamKey.For(tenant, "user", null).ToString());
        Assert.That(stream.Select(e => ((EventAccepted)e.Data).MessageId), Is.EqualTo(batch.Select(e => e.MessageId)));
    }
}
