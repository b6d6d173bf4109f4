using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Personalization.Ingestion.Debugger;
using static Personalization.Ingestion.Tests.Storage.WriterHost;

namespace Personalization.Ingestion.Tests.Debugger;

/// <summary>The live debugger's feed against the real PostgreSQL: its history first, then only what arrives, each once.</summary>
public class LiveFeedTests() : Storage.WriterDatabaseTests("ingestion_live")
{
    [Test]
    public async Task The_feed_sends_the_latest_history_then_each_new_message_once_and_no_older_one()
    {
        var tenant = NewTenant();
        await Host.Writer().AppendAsync(Enumerable.Range(0, 60).Select(n => Event(tenant, $"u{n % 7}", $"m-{n}")).ToList(), CancellationToken.None);
        var feed = new LiveFeed(new LiveEventsReader(Host.Services.GetRequiredService<NpgsqlDataSource>(), Host.Services.GetRequiredService<IDocumentStore>()), TimeProvider.System);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var entries = feed.FollowAsync(tenant, "web", stop.Token).GetAsyncEnumerator(stop.Token);

        Assert.That(await NextAsync(entries), Is.Null, "a ping first, so the stream's headers go out at once");
        var history = new List<LiveEntry>();
        for (var i = 0; i < LiveFeed.History; i++) history.Add((await NextAsync(entries))!);
        Assert.That(history.Select(e => e.MessageId).Distinct().Count(), Is.EqualTo(LiveFeed.History));
        Assert.That(history.Select(e => e.Sequence), Is.EquivalentTo(await NewestSequencesAsync(tenant, LiveFeed.History)), "the newest fifty in the log");

        await Host.Writer().AppendAsync([Event(tenant, "u1", "m-new-1"), Event(tenant, "u2", "m-new-2"), Event(tenant, "u3", "m-3")], CancellationToken.None);
        var arrived = new List<LiveEntry>();
        while (arrived.Count < 3)
            if (await NextAsync(entries) is { } entry) arrived.Add(entry);
        Assert.That(arrived.Select(e => (e.Kind, e.MessageId)), Is.EquivalentTo(new[]
        {
            (LiveEntry.Stored, "m-new-1"), (LiveEntry.Stored, "m-new-2"), (LiveEntry.Duplicate, "m-3"),
        }), "the new ones, the resend as a duplicate, and none of the older history");
        Assert.That(arrived.Where(e => e.Kind == LiveEntry.Stored).Select(e => e.Payload!.Value.GetProperty("messageId").GetString()),
            Is.EquivalentTo(new[] { "m-new-1", "m-new-2" }), "each with its payload as sent");
    }

    private async Task<List<long?>> NewestSequencesAsync(string tenant, int count)
    {
        await using var command = Host.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
            "select seq_id from ingestion.mt_events where starts_with(stream_id, $1) order by seq_id desc limit $2");
        command.Parameters.AddWithValue(tenant + "/");
        command.Parameters.AddWithValue(count);
        var sequences = new List<long?>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) sequences.Add(reader.GetInt64(0));
        return sequences;
    }

    private static async Task<LiveEntry?> NextAsync(IAsyncEnumerator<System.Net.ServerSentEvents.SseItem<LiveEntry?>> entries)
    {
        Assert.That(await entries.MoveNextAsync(), Is.True);
        return entries.Current.Data;
    }
}
