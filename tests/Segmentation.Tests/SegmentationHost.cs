using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Personalization.TestSupport;

namespace Personalization.Segmentation.Tests;

/// <summary>Segmentation's real wiring (Marten, MassTransit, consumer) in a host of the test's own, on real infrastructure.</summary>
public sealed class SegmentationHost : IAsyncDisposable
{
    private readonly TestDatabase _database;

    private SegmentationHost(TestDatabase database, IHost host)
    {
        _database = database;
        Host = host;
    }

    public IHost Host { get; }
    public IServiceProvider Services => Host.Services;
    public TestDatabase Database => _database;

    public static async Task<SegmentationHost> StartAsync()
    {
        var infra = await LocalInfrastructure.EnsureStartedAsync();
        var database = await TestDatabase.CreateAsync("segmentation");
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:Postgres"] = database.ConnectionString;
        builder.Configuration["ConnectionStrings:RabbitMQ"] = infra.RabbitMqConnectionString;
        // A queue of this run's own, gone when the host stops: no other consumer takes its messages.
        builder.Configuration["Messaging:QueuePrefix"] = "test-" + Guid.NewGuid().ToString("N")[..8];
        builder.Configuration["Messaging:TemporaryQueues"] = "true";
        builder.AddSegmentation();
        builder.Services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true);
        var host = builder.Build();
        await host.StartAsync();
        return new SegmentationHost(database, host);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
        await _database.DisposeAsync();
    }
}
