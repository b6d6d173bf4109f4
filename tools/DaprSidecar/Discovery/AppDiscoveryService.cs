using Microsoft.Extensions.Options;

namespace Personalization.DaprSidecar.Discovery;

/// <summary>Keeps reading the apps' <c>/dapr/config</c>, so apps may start after the emulator, restart, or change their types.</summary>
public sealed class AppDiscoveryService(ActorTypeDirectory directory, IOptions<SidecarOptions> options, TimeProvider clock, ILogger<AppDiscoveryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.DiscoveryInterval;
        logger.LogInformation("Dapr sidecar emulator: actor API for apps [{Apps}], state and reminders in schema {Schema}, API token {Token}",
            string.Join(", ", directory.Apps), options.Value.Schema, string.IsNullOrEmpty(options.Value.ApiToken) ? "off" : "required");
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await directory.RefreshAsync(freshAfter: clock.GetUtcNow() - interval / 2, stoppingToken);
                await Task.Delay(interval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
