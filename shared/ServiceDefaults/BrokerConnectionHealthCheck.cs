using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;

namespace Personalization.ServiceDefaults;

/// <summary>
/// Whether this process can reach RabbitMQ: one small connection of its own, kept open between checks and opened again
/// when it drops. MassTransit's own bus check keeps answering "Ready" while its connection is gone (seen with the
/// broker killed), so it cannot be the readiness signal alone.
/// </summary>
internal sealed class BrokerConnectionHealthCheck(Uri broker) : IHealthCheck, IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConnectionFactory _factory = new()
    {
        Uri = broker,
        ClientProvidedName = "readiness probe",
        // No automatic recovery: IsOpen must tell the truth, and each check reconnects by itself.
        AutomaticRecoveryEnabled = false,
        TopologyRecoveryEnabled = false,
        RequestedConnectionTimeout = ConnectTimeout,
        RequestedHeartbeat = TimeSpan.FromSeconds(10),
    };

    private IConnection? _connection;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_connection is { IsOpen: true }) return HealthCheckResult.Healthy();
            if (_connection is not null) await _connection.DisposeAsync();
            _connection = null;

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ConnectTimeout);
            _connection = await _factory.CreateConnectionAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"RabbitMQ at {broker.Host}:{broker.Port} cannot be reached: {ex.GetBaseException().Message}");
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
        _gate.Dispose();
    }
}
