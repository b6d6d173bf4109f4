using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Personalization.ServiceDefaults;
using Personalization.TestSupport;
using RabbitMQ.Client;

namespace Personalization.Ingestion.Tests.Messaging;

/// <summary>The consumer-lag gauge against the real RabbitMQ: what waits in a queue, and a queue that went away.</summary>
public class QueueDepthsTests
{
    [Test]
    public async Task The_gauge_reports_the_messages_waiting_in_each_watched_queue_and_forgets_a_deleted_one()
    {
        var infra = await LocalInfrastructure.EnsureStartedAsync();
        var broker = new Uri(infra.RabbitMqConnectionString);
        var (waiting, deleted) = ("depth-test-" + Guid.NewGuid().ToString("N")[..8], "depth-gone-" + Guid.NewGuid().ToString("N")[..8]);
        await using var connection = await new ConnectionFactory { Uri = broker }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(waiting, durable: false, exclusive: false, autoDelete: false);
        await channel.QueueDeclareAsync(deleted, durable: false, exclusive: false, autoDelete: false);
        for (var i = 0; i < 3; i++)
            await channel.BasicPublishAsync("", waiting, new ReadOnlyMemory<byte>([1]));

        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var depths = new QueueDepths(broker, services.GetRequiredService<IMeterFactory>(), NullLogger<QueueDepths>.Instance);
        var reported = new Dictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == QueueDepths.MeterName) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            reported[(string)tags.ToArray().Single(t => t.Key == "queue").Value!] = value);
        listener.Start();
        try
        {
            depths.Watch(waiting);
            depths.Watch(deleted);
            await channel.QueueDeleteAsync(deleted);
            await Eventually.ReturnsAsync(async () =>
            {
                await depths.ReadAsync(CancellationToken.None);
                return depths.Depths.GetValueOrDefault(waiting);
            }, n => n == 3, TimeSpan.FromSeconds(10), "the published messages to be counted");

            listener.RecordObservableInstruments();
            Assert.That(reported, Is.EqualTo(new Dictionary<string, long> { [waiting] = 3 }), "the deleted queue is no longer reported");
        }
        finally
        {
            await channel.QueueDeleteAsync(waiting);
            await depths.StopAsync(CancellationToken.None);
        }
    }
}
