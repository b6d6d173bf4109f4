using Microsoft.Extensions.Hosting;
using Personalization.TestSupport;

namespace Personalization.Ingestion.Tests.Storage;

/// <summary>A fixture with a database of its own and the group-commit writer over it, started once for its tests.</summary>
public abstract class WriterDatabaseTests(string databaseName)
{
    protected TestDatabase Database { get; private set; } = null!;
    protected IHost Host { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartWriterAsync()
    {
        Database = await TestDatabase.CreateAsync(databaseName);
        Host = await WriterHost.StartAsync(Database.ConnectionString);
    }

    [OneTimeTearDown]
    public async Task StopWriterAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
        await Database.DisposeAsync();
    }
}
