using Microsoft.Extensions.Options;

namespace Personalization.Triggers.Delivery;

/// <summary><c>Delivery:Batch</c>: how many due messages a sender takes at a time (and so at most has in flight).</summary>
public sealed class DeliverySettings
{
    public const string Section = "Delivery";

    public int Batch { get; set; } = 64;
}

/// <summary>
/// Takes due messages from the outbox and delivers them: one person's messages one after another (so the caps see
/// each send before the next), different people's side by side.
/// </summary>
public sealed class OutboxDelivery(Outbox outbox, MessageDispatcher dispatcher, IOptions<DeliverySettings> settings, TimeProvider clock,
    ILogger<OutboxDelivery> logger) : BackgroundService
{    public static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var taken = await outbox.TakeAsync(clock.GetUtcNow(), settings.Value.Batch, stoppingToken);
                if (taken.Count == 0)
                {
                    await Task.Delay(IdlePoll, clock, stoppingToken);
                    continue;
                }
                await Task.WhenAll(taken.GroupBy(m => (m.TenantId, m.UserId)).Select(async person =>
                {
                    foreach (var message in person) await dispatcher.DeliverAsync(message, stoppingToken);
                }));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Taking messages from the outbox failed; trying again shortly");
                await Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken);
            }
        }
    }
}
