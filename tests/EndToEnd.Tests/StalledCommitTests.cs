using System.Net;
using System.Text.Json;
using JasperFx;
using JasperFx.Events;
using Marten;
using Marten.Services;
using Npgsql;
using Personalization.Contracts;
using Personalization.Contracts.EventLog;
using Personalization.ServiceDefaults;
using Weasel.Core;
using static Personalization.EndToEnd.Tests.Platform;

namespace Personalization.EndToEnd.Tests;

/// <summary>
/// A commit that stalls (the disk here stalls up to 1.4 s; a busy database longer) holds a sequence number while later
/// events commit. Marten's daemon must not take the gap for a rolled-back transaction and skip it.
/// </summary>
public class StalledCommitTests
{
    /// <summary>Well past the daemon's stale-sequence threshold (3 s), after which a gap may count as abandoned.</summary>
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(8);

    [Test]
    public async Task An_event_whose_commit_stalls_while_later_events_commit_still_reaches_its_profile()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var (stalled, later) = ($"stalled-{run}", $"later-{run}");
        await using var store = DocumentStore.For(options =>
        {
            options.Connection(Database.ConnectionString);
            options.DatabaseSchemaName = EventLog.Schema;
            options.UseSystemTextJsonForSerialization(EnumStorage.AsString);
            options.AutoCreateSchemaObjects = AutoCreate.None;
            EventLog.Configure(options);
            options.Events.AppendMode = EventAppendMode.Quick;
        });

        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var now = DateTimeOffset.UtcNow;
        await using (var session = store.LightweightSession(SessionOptions.ForTransaction(transaction)))
        {
            session.Events.Append(StreamKey.ForUser(Tenant, stalled).ToString(), new EventAccepted(Tenant, "web", $"{stalled}-1", EventTypes.Track,
                "Product Viewed", stalled, null, now, now, JsonSerializer.SerializeToElement(new { properties = new { product_id = "sku-stalled" } })));
            await session.SaveChangesAsync();
        }
        await using var reserved = new NpgsqlCommand($"select seq_id from {EventLog.Schema}.mt_events where stream_id = @stream", connection, transaction);
        reserved.Parameters.AddWithValue("stream", StreamKey.ForUser(Tenant, stalled).ToString());
        var sequence = (long)(await reserved.ExecuteScalarAsync())!;

        for (var i = 1; i <= 3; i++)
        {
            using var response = await Ingestion.Client.SendAsync(Post("/v1/track", JsonSerializer.Serialize(new
            {
                userId = later, @event = "Product Viewed", messageId = $"{later}-{i}", properties = new { product_id = $"sku-{i}" },
            })));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        }
        var committedAfter = await Database.ScalarAsync<long>($"select min(seq_id) from {EventLog.Schema}.mt_events where stream_id = @stream",
            ("stream", StreamKey.ForUser(Tenant, later).ToString()));
        Assert.That(committedAfter, Is.GreaterThan(sequence), "the later events took sequence numbers after the stalled one");
        await Task.Delay(Stall);
        await transaction.CommitAsync();

        Assert.That((await Profiles.WithCountAsync(later, 3))!.EventCount, Is.EqualTo(3));
        var profile = await Profiles.WithCountAsync(stalled, 1);
        Assert.That(profile!.RecentlyViewed.Select(v => v.ItemId), Is.EqualTo(new[] { "sku-stalled" }), "the stalled event was relayed once it committed");
    }
}
