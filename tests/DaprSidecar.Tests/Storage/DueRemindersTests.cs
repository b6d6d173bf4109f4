using Microsoft.Extensions.Options;
using Npgsql;
using Personalization.DaprSidecar.Actors;
using Personalization.DaprSidecar.Reminders;
using Personalization.DaprSidecar.Storage;
using Personalization.TestSupport;

namespace Personalization.DaprSidecar.Tests.Storage;

/// <summary>
/// The due reminders, page after page, against real PostgreSQL: a host pages past the reminders that other hosts own,
/// so every due one must come exactly once, in due order, however many share a due time.
/// </summary>
public class DueRemindersTests
{
    [Test]
    public async Task Paging_through_due_reminders_gives_each_once_in_due_order()
    {
        await using var database = await TestDatabase.CreateAsync("due_reminders");
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var sidecar = new SidecarDatabase(dataSource, Options.Create(new SidecarOptions { Apps = ["http://127.0.0.1:1"], PostgresConnectionString = database.ConnectionString }));
        await sidecar.StartAsync(CancellationToken.None);
        var store = new ReminderStore(sidecar);

        var now = DateTimeOffset.UtcNow;
        var due = new List<(ActorKey, string)>();
        for (var i = 0; i < 450; i++)
        {
            // Three due times shared by many reminders, over two types, as a backlog looks.
            var reminder = new StoredReminder(new ActorKey(i % 2 == 0 ? "Cart" : "Profile", $"actor-{i % 7}"), $"r-{i}", Guid.NewGuid(), null,
                "0s", "", "", now.AddMinutes(-(i % 3)), null, -1);
            await store.UpsertAsync(reminder, CancellationToken.None);
            due.Add(reminder.Key);
        }
        await store.UpsertAsync(new StoredReminder(new ActorKey("Cart", "later"), "not-yet", Guid.NewGuid(), null, "1h", "", "", now.AddHours(1), null, -1), CancellationToken.None);

        var seen = new List<StoredReminder>();
        StoredReminder? after = null;
        IReadOnlyList<StoredReminder> page;
        do
        {
            page = await store.DueAsync(now, 200, after, CancellationToken.None);
            seen.AddRange(page);
            after = page.Count > 0 ? page[^1] : after;
        } while (page.Count == 200);

        Assert.That(seen.Select(r => r.Key), Is.EquivalentTo(due), "every due reminder once, the later one not");
        Assert.That(seen.Select(r => r.NextFireAt), Is.Ordered);
    }
}
