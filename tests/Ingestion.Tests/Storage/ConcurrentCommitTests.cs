using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Personalization.Contracts;
using Personalization.Contracts.EventLog;
using Personalization.Ingestion.Storage;
using Personalization.TestSupport;
using static Personalization.Ingestion.Tests.Storage.WriterHost;

namespace Personalization.Ingestion.Tests.Storage;

/// <summary>
/// Several commit loops in one node, and several nodes on one database, against the real PostgreSQL cluster. Small
/// commits (at most 50 events) make many transactions overlap.
/// </summary>
public class ConcurrentCommitTests
{
    private TestDatabase _database = null!;
    private IHost _host = null!;

    private static readonly Dictionary<string, string> FourLoops = new()
    {
        ["Ingestion:CommitLoops"] = "4",
        ["Ingestion:MaxEventsPerCommit"] = "50",
    };

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync("ingestion_loops");
        _host = await WriterHost.StartAsync(_database.ConnectionString, FourLoops);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await _database.DisposeAsync();
    }

    private Task<long> CountAsync(string sql, string tenant) => _database.ScalarAsync<long>(sql, ("tenant", tenant), ("prefix", tenant + "/%"));

    [Test]
    public async Task Overlapping_messages_sent_concurrently_through_four_commit_loops_are_stored_once()
    {
        var tenant = NewTenant();
        var random = new Random(42);
        var requests = Enumerable.Range(0, 40)
            .Select(_ => (IReadOnlyList<EventAccepted>)Enumerable.Range(0, 50)
                .Select(_ => random.Next(500))
                .Distinct()
                .Select(m => Event(tenant, $"user-{m % 37}", $"m-{m}"))
                .ToList())
            .ToList();
        var distinct = requests.SelectMany(r => r).Select(e => e.MessageId).Distinct().Count();

        var outcomes = await Task.WhenAll(requests.Select(r => _host.Writer().AppendAsync(r, CancellationToken.None)));

        Assert.That(outcomes.Sum(o => o.Stored), Is.EqualTo(distinct));
        Assert.That(outcomes.Sum(o => o.Duplicates), Is.EqualTo(requests.Sum(r => r.Count) - distinct));
        Assert.That(await CountAsync("select count(*) from ingestion.mt_events where stream_id like @prefix", tenant), Is.EqualTo(distinct));
        Assert.That(await CountAsync("select count(*) from ingestion.ingestion_dedup where tenant_id = @tenant", tenant), Is.EqualTo(distinct));
    }

    [Test]
    public async Task A_request_spread_over_every_loop_is_answered_only_once_all_of_it_is_stored()
    {
        var tenant = NewTenant();
        var request = Enumerable.Range(0, 200).Select(i => Event(tenant, $"user-{i}", $"m-{i}")).ToList();

        var outcome = await _host.Writer().AppendAsync(request, CancellationToken.None);

        Assert.That(outcome, Is.EqualTo(new AppendOutcome(200, 0)));
        Assert.That(await CountAsync("select count(*) from ingestion.mt_events where stream_id like @prefix", tenant), Is.EqualTo(200));
    }

    [Test]
    public async Task Two_nodes_appending_to_the_same_users_at_once_give_each_stream_gapless_versions_in_sequence_order()
    {
        var tenant = NewTenant();
        using var otherNode = await WriterHost.StartAsync(_database.ConnectionString, FourLoops);
        var nodes = new[] { _host.Writer(), otherNode.Writer() };

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 40).Select(r => nodes[r % 2].AppendAsync(
            Enumerable.Range(0, 50).Select(i => Event(tenant, $"user-{i % 10}", $"m-{r}-{i}")).ToList(), CancellationToken.None)));
        await otherNode.StopAsync();

        Assert.That(outcomes.Sum(o => o.Stored), Is.EqualTo(2_000));
        // Per stream: versions 1..n with no gap or repeat, rising with seq_id, and the stream row knows n.
        var badStreams = await CountAsync(
            """
            select count(*) from (
                select e.stream_id, s.version as stream_version, count(*) as n, max(e.version) as top,
                       bool_and(e.version = e.rank) as ordered
                from (select stream_id, version, row_number() over (partition by stream_id order by seq_id) as rank
                      from ingestion.mt_events where stream_id like @prefix) e
                join ingestion.mt_streams s on s.id = e.stream_id
                group by e.stream_id, s.version) per_stream
            where not ordered or top <> n or stream_version <> n
            """, tenant);
        Assert.That(badStreams, Is.Zero);
        Assert.That(await CountAsync("select count(distinct stream_id) from ingestion.mt_events where stream_id like @prefix", tenant), Is.EqualTo(10));
    }

    [Test]
    public async Task Events_appended_set_based_read_back_through_Marten_as_they_were_sent()
    {
        var tenant = NewTenant();
        var first = Enumerable.Range(0, 3).Select(i => Event(tenant, "user", $"a-{i}")).ToList();
        var second = Enumerable.Range(0, 4).Select(i => Event(tenant, "user", $"b-{i}")).ToList();

        await _host.Writer().AppendAsync(first, CancellationToken.None);
        await _host.Writer().AppendAsync(second, CancellationToken.None);

        await using var session = _host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var streamId = StreamKey.For(tenant, "user", null).ToString();
        var stream = await session.Events.FetchStreamAsync(streamId);
        var sent = first.Concat(second).ToList();
        Assert.That(stream.Select(e => e.Version), Is.EqualTo(Enumerable.Range(1, 7).Select(v => (long)v)));
        Assert.That(stream.Select(e => e.Sequence), Is.Ordered.Ascending);
        Assert.That(stream.Select(e => ((EventAccepted)e.Data).MessageId), Is.EqualTo(sent.Select(e => e.MessageId)));
        // jsonb keeps keys in its own order, as with any Marten event; the content is what must survive.
        Assert.That(stream.Zip(sent).All(pair => System.Text.Json.JsonElement.DeepEquals(((EventAccepted)pair.First.Data).Payload, pair.Second.Payload)));
        Assert.That(stream.Select(e => (EventAccepted)e.Data with { Payload = default }), Is.EqualTo(sent.Select(e => e with { Payload = default })));
        Assert.That((await session.Events.FetchStreamStateAsync(streamId))!.Version, Is.EqualTo(7));
    }

    [Test]
    public async Task Set_based_rows_are_the_rows_Marten_itself_writes()
    {
        var tenant = NewTenant();
        var e = Event(tenant, "user", "m-1");
        var store = _host.Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.LightweightSession())
        {
            session.Events.Append($"{tenant}/by-marten", e);
            await session.SaveChangesAsync();
        }

        await _host.Writer().AppendAsync([e], CancellationToken.None);

        var identicalPairs = await _database.ScalarAsync<long>(
            """
            select count(*) from ingestion.mt_events ours
            join ingestion.mt_events marten on marten.stream_id = @marten
            where ours.stream_id like @prefix and ours.stream_id <> @marten
              and ours.data = marten.data and ours.type = marten.type and ours.mt_dotnet_type = marten.mt_dotnet_type
              and ours.tenant_id = marten.tenant_id and ours.is_archived = marten.is_archived and ours.version = marten.version
              and ours.bdata is not distinct from marten.bdata
            """, ("marten", $"{tenant}/by-marten"), ("prefix", tenant + "/%"));
        var streams = await CountAsync(
            "select count(*) from ingestion.mt_streams where id like @prefix and tenant_id = '*DEFAULT*' and version = 1 and type is null", tenant);

        Assert.That(identicalPairs, Is.EqualTo(1));
        Assert.That(streams, Is.EqualTo(2));
    }
}
