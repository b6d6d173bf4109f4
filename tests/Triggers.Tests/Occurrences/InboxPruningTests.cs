using Npgsql;
using Personalization.TestSupport;
using Personalization.Triggers.Occurrences;

namespace Personalization.Triggers.Tests.Occurrences;

/// <summary>The inbox forgets what it acted on once the retention has passed, against real PostgreSQL.</summary>
public class InboxPruningTests
{
    private sealed class MovableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Test]
    public async Task Messages_marked_before_the_retention_are_forgotten_in_batches_and_later_ones_kept()
    {
        await using var database = await TestDatabase.CreateAsync("triggers_inbox");
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var clock = new MovableClock(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        var inbox = new Inbox(dataSource, new TriggersSchema(dataSource), clock);
        string[] old = ["old-1", "old-2", "old-3"];
        await inbox.MarkAsync(old, CancellationToken.None);
        clock.Now = clock.Now.AddDays(29);
        await inbox.MarkAsync(["recent"], CancellationToken.None);
        clock.Now = clock.Now.AddDays(2);

        var removed = new List<int>();
        for (var i = 0; i < 3; i++) removed.Add(await inbox.PruneAsync(TimeSpan.FromDays(30), batch: 2, CancellationToken.None));

        Assert.That(removed, Is.EqualTo(new[] { 2, 1, 0 }));
        Assert.That(await inbox.SeenAsync([.. old, "recent"], CancellationToken.None), Is.EquivalentTo(new[] { "recent" }));
    }
}
