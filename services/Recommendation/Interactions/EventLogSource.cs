using Personalization.ServiceDefaults;

namespace Personalization.Recommendation.Interactions;

/// <summary>
/// Reads a tenant's interactions for the command-line verbs, from the event log that
/// <c>ConnectionStrings__Postgres</c> points at (the schema ingestion owns; nothing is changed).
/// </summary>
public static class EventLogSource
{
    public static async Task<InteractionFile> ReadAsync(string tenantId, TextWriter progressOutput, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddEventLogReader();
        builder.Services.AddSingleton<EventLogInteractionReader>();
        using var host = builder.Build();
        var progress = new Progress<long>(events => progressOutput.WriteLine($"  read {events:N0} events"));
        return await host.Services.GetRequiredService<EventLogInteractionReader>().ReadAsync(tenantId, progress, cancellationToken);
    }
}
