using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Personalization.Contracts;
using Personalization.Contracts.EventLog;
using Personalization.Ingestion.Storage;
using Personalization.ServiceDefaults;

namespace Personalization.Ingestion.Tests.Storage;

/// <summary>A clock the tests move by hand, so a 30-day window passes in an instant.</summary>
public sealed class MovableClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>The group-commit writer (and optionally the dedup cleanup) in a bare host, as one API node runs them.</summary>
public static class WriterHost
{
    public static async Task<IHost> StartAsync(
        string connectionString, IReadOnlyDictionary<string, string>? settings = null, TimeProvider? clock = null, bool withCleanup = false)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:Postgres"] = connectionString;
        builder.Configuration["Ingestion:WriteKeys:test"] = "test";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            builder.Configuration[key] = value;
        builder.AddMartenStore(IngestionStore.Schema, IngestionStore.ConfigureMarten);
        builder.AddGroupCommitWriter();
        if (clock is not null)
            builder.Services.AddSingleton(clock);
        if (withCleanup)
            builder.AddDedupCleanup();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    public static GroupCommitWriter Writer(this IHost host) => host.Services.GetRequiredService<GroupCommitWriter>();

    public static EventAccepted Event(string tenant, string user, string messageId, DateTimeOffset? receivedAt = null)
    {
        var at = receivedAt ?? DateTimeOffset.UtcNow;
        return new EventAccepted(tenant, "web", messageId, EventTypes.Track, "Product Viewed", user, null, at, at,
            JsonSerializer.SerializeToElement(new { messageId, userId = user }));
    }

    public static string NewTenant() => "t" + Guid.NewGuid().ToString("N");
}
