using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace Personalization.ServiceDefaults;

/// <summary>
/// The consumer lag: how many messages wait in each queue this service consumes, read every
/// <see cref="Interval"/> with a passive declare on a connection of its own and exported as the gauge
/// <c>messaging.queue.depth</c> by <c>queue</c>. The queues are the receive endpoints MassTransit reports ready.
/// </summary>
public sealed class QueueDepths : BackgroundService, IReceiveEndpointObserver
{
    public const string MeterName = "Personalization.Messaging";
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    private readonly ConnectionFactory _factory;
    private readonly ILogger<QueueDepths> _logger;
    private readonly ConcurrentDictionary<string, long> _depths = new(StringComparer.Ordinal);
    private IConnection? _connection;

    public QueueDepths(Uri broker, IMeterFactory meters, ILogger<QueueDepths> logger)
    {
        _factory = new ConnectionFactory { Uri = broker, ClientProvidedName = "queue depths", RequestedConnectionTimeout = TimeSpan.FromSeconds(5) };
        _logger = logger;
        meters.Create(MeterName).CreateObservableGauge("messaging.queue.depth",
            () => _depths.Select(d => new Measurement<long>(d.Value, new KeyValuePair<string, object?>("queue", d.Key))),
            "{message}", "Messages ready in a queue this service consumes, not yet delivered to it.");
    }

    /// <summary>The depths last read, by queue.</summary>
    public IReadOnlyDictionary<string, long> Depths => _depths;

    /// <summary>Starts reporting a queue (MassTransit's endpoints come through <see cref="Ready"/>).</summary>
    public void Watch(string queue) => _depths.TryAdd(queue, 0);

    /// <summary>Reads every watched queue's depth once.</summary>
    public async Task ReadAsync(CancellationToken cancellationToken)
    {
        if (_depths.IsEmpty) return;
        if (_connection is not { IsOpen: true })
        {
            if (_connection is not null) await _connection.DisposeAsync();
            _connection = await _factory.CreateConnectionAsync(cancellationToken);
        }
        foreach (var queue in _depths.Keys)
        {
            // A passive declare of a queue that is gone closes its channel, so each queue has its own.
            await using var channel = await _connection.CreateChannelAsync(cancellationToken: cancellationToken);
            try
            {
                _depths[queue] = (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException gone) when (gone.ShutdownReason?.ReplyCode == 404)
            {
                _depths.TryRemove(queue, out _);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, stoppingToken);
                await ReadAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The broker being away shows in readiness; the gauge keeps its last values meanwhile.
                _logger.LogDebug(ex, "Reading queue depths failed; trying again in {Interval}", Interval);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_connection is not null) await _connection.DisposeAsync();
    }

    public Task Ready(ReceiveEndpointReady ready)
    {
        Watch(ready.InputAddress.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Last());
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;
}
