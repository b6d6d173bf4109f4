using Marten;

namespace Personalization.Ingestion.Storage;

/// <summary>
/// <c>Personalization.Ingestion migrate</c>: creates or updates the ingestion schema (the event log and what is kept
/// beside it) and exits, for a deployment step that runs before the services: the other services read the event log
/// and never change its schema. Idempotent; the services' own schemas they create themselves at start.
/// Exit codes: 0 done, 1 failed.
/// </summary>
public static class MigrateCommand
{
    public const string Verb = "migrate";

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.AddIngestionStore();
        using var host = builder.Build();
        try
        {
            await host.Services.GetRequiredService<IDocumentStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync($"The ingestion schema could not be brought up to date: {ex.Message}");
            return 1;
        }
        Console.WriteLine($"The ingestion schema ({IngestionStore.Schema}) is up to date.");
        return 0;
    }
}
