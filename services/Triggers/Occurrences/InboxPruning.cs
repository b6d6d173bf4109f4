using Microsoft.Extensions.Options;

namespace Personalization.Triggers.Occurrences;

/// <summary>How long the inbox remembers a message it acted on, and how often the expired ones are removed.</summary>
public sealed class InboxSettings
{
    public const string Section = "Inbox";

    /// <summary>
    /// Far longer than any redelivery (a broker outage, a relay restart resending its last pages); a message
    /// delivered again after this is acted on again. The inbox holds one row per event, so it must not grow forever.
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan PruneEvery { get; set; } = TimeSpan.FromMinutes(10);

    public bool IsValid => Retention > TimeSpan.Zero && PruneEvery > TimeSpan.Zero;
}

/// <summary>Removes inbox rows older than <see cref="InboxSettings.Retention"/>, a batch per statement so no lock is held long.</summary>
public sealed class InboxPruning(Inbox inbox, IOptions<InboxSettings> settings, TimeProvider clock, ILogger<InboxPruning> logger) : BackgroundService
{
    public const int Batch = 5_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Value.PruneEvery, clock);
        do
        {
            try
            {
                int removed;
                do removed = await inbox.PruneAsync(settings.Value.Retention, Batch, stoppingToken);
                while (removed == Batch);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Pruning the inbox failed; trying again in {Every}", settings.Value.PruneEvery);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
