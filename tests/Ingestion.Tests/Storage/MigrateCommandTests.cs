using Personalization.Ingestion.Storage;
using Personalization.TestSupport;

namespace Personalization.Ingestion.Tests.Storage;

/// <summary>The deployment step that creates the ingestion schema before any service starts, on a real PostgreSQL.</summary>
public class MigrateCommandTests
{
    private static Task<long> TablesAsync(TestDatabase database) => database.ScalarAsync<long>(
        "select count(*) from information_schema.tables where table_schema = 'ingestion' and table_name = any(@names)",
        ("names", new[] { "mt_events", "mt_streams", "mt_event_progression", DedupTable.Name, "mt_doc_consent" }));

    [Test]
    public async Task It_creates_the_event_log_in_an_empty_database_and_a_second_run_changes_nothing()
    {
        await using var database = await TestDatabase.CreateAsync("ingestion_migrate");
        string[] args = [$"--ConnectionStrings:Postgres={database.ConnectionString}"];

        Assert.That(await MigrateCommand.RunAsync(args), Is.Zero);
        Assert.That(await TablesAsync(database), Is.EqualTo(5));
        Assert.That(await MigrateCommand.RunAsync(args), Is.Zero, "idempotent: a Job may run again");
        Assert.That(await TablesAsync(database), Is.EqualTo(5));
    }

    [Test]
    public async Task A_database_it_cannot_reach_is_a_failure_exit()
    {
        string[] args = ["--ConnectionStrings:Postgres=Host=127.0.0.1;Port=1;Username=nobody;Password=x;Database=none;Timeout=2"];
        Assert.That(await MigrateCommand.RunAsync(args), Is.EqualTo(1));
    }
}
